import Layout from '@theme/Layout'

const logo = 'imageboss:/photos/logo.png?w=200'

export default function Home() {
  return (
    <Layout title="Home">
      <main>
        <div className="hero-photo" />
        <img src={logo} alt="Logo" width="200" />
      </main>
    </Layout>
  )
}
