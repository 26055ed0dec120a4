import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'
import imageboss from 'imageboss-build/vite'

export default defineConfig({
  plugins: [imageboss()],
  build: {
    rollupOptions: {
      input: {
        main: fileURLToPath(new URL('index.html', import.meta.url)),
        about: fileURLToPath(new URL('about.html', import.meta.url))
      }
    }
  }
})
