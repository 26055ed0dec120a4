// `IMAGEBOSS_SOURCE` and `IMAGEBOSS_SECRET` sign the site at build time (from the
// environment or `.env`); `NUXT_IMAGEBOSS_SECRET` gives the server its secret at run time.
export default {
  modules: ['imageboss-build/nuxt'],
  css: ['~/assets/main.css'],
  compatibilityDate: '2025-07-15',
  nitro: { prerender: { routes: ['/', '/photos'] } }
}
