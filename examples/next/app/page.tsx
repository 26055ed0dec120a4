import Image from 'next/image'
import { imagebossUrl } from 'imageboss-build/next/server'
import hero, { srcset, sizes } from 'imageboss:/ny/central-park.jpg?w=800&srcset=400,800,1200&sizes=100vw'
import posts from '../data/posts.json'
import styles from './page.module.css'
import Gallery from './gallery/gallery'

// A server component: its references are signed at build; values it reads as it renders
// (here a data file, elsewhere a CMS) are signed on the server by `imagebossUrl()`.
export default function Home() {
  return (
    <main>
      <div className={styles.hero} />
      <h1>Signed ImageBoss URLs, in every kind of module</h1>
      <img src="imageboss:/ny/brooklyn.jpg?w=640" alt="Brooklyn" width={640} height={427} />
      <img src={hero} srcSet={srcset} sizes={sizes} alt="Central Park" />
      <Image src="imageboss:/ny/harbor.jpg?w=800&h=500" width={800} height={500} alt="The harbor" />
      {posts.map((post) => (
        <img key={post.slug} src={imagebossUrl(post.cover)} alt={post.title} />
      ))}
      <Gallery />
      <p>
        Written in a template as text, shown as it is: <code>imageboss:/ny/brooklyn.jpg?w=640</code>
      </p>
    </main>
  )
}
