import DefaultTheme from 'vitepress/theme'
import Banner from './Banner.vue'

/** The default theme, with one component of our own that pages can use. */
export default {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component('Banner', Banner)
  }
}
