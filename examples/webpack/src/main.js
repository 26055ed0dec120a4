import hero, { srcset } from 'imageboss:/photos/hero.jpg?w=1200&srcset=auto'
import './style.css'

const thumb = 'imageboss:/photos/cat.jpg?w=200&h=200'

const app = document.querySelector('#app')
const image = document.createElement('img')
image.src = hero
if (srcset) image.srcset = srcset
const small = document.createElement('img')
small.src = thumb
app?.append(image, small)
