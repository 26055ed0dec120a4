import './style.css'
import hero from 'imageboss:/photos/hero.jpg?w=1200'

// Whole references only: each string is signed at build time.
const avatars: Record<string, string> = {
  face: 'imageboss:/photos/cat.jpg?w=200&h=200&mode=face',
  wide: 'imageboss:/photos/cat.jpg?w=800'
}

const app = document.querySelector<HTMLDivElement>('#app')
if (app) {
  const image = document.createElement('img')
  image.className = 'hero'
  image.src = hero
  image.alt = 'Hero'
  const avatar = document.createElement('img')
  avatar.src = avatars.face ?? ''
  avatar.alt = 'Avatar'
  app.append(image, avatar)
}
