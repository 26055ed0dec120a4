import { svelte } from '@sveltejs/vite-plugin-svelte'
import vue from '@vitejs/plugin-vue'
import { build, type Plugin } from 'vite'
import { describe, expect, it } from 'vitest'
import imageboss from 'imageboss-build/vite'
import { outputFiles, signedUrl, tempProject } from './helpers.js'

const SECRET = 'responsive-framework-secret'
const url = (signedPath: string) => signedUrl(signedPath, SECRET)
const own = () => imageboss({ source: 'rf', secret: SECRET, defaults: {}, env: {}, responsive: { breakpoints: [300] } })

async function bundle(files: Record<string, string>, framework: Plugin | Plugin[]): Promise<string> {
  const root = await tempProject(files, { nodeModules: true })
  const output = outputFiles(await build({ root, configFile: false, logLevel: 'silent', plugins: [framework, own()], build: { write: false } }))
  return output
    .filter((f) => f.fileName.endsWith('.js'))
    .map((f) => f.text)
    .join('\n')
}

describe('responsive <img> in component templates', () => {
  const srcset = `${url('/rf/width/200/a.jpg')} 200w, ${url('/rf/width/300/a.jpg')} 300w, ${url('/rf/width/400/a.jpg')} 400w`

  it('Vue', async () => {
    const js = await bundle(
      {
        'index.html': '<div id="app"></div><script type="module" src="/main.js"></script>',
        'main.js': "import { createApp } from 'vue'\nimport App from './App.vue'\ncreateApp(App).mount('#app')\n",
        'App.vue': '<template>\n  <img src="imageboss:/a.jpg?w=200&srcset=auto" alt="a">\n</template>\n'
      },
      vue()
    )
    expect(js).toContain(srcset)
    expect(js).toContain('(min-width: 200px) 200px, 100vw')
    expect(js).toContain('lazy')
    expect(js).not.toContain('imageboss:')
  })

  it('Svelte', async () => {
    const js = await bundle(
      {
        'index.html': '<div id="app"></div><script type="module" src="/main.js"></script>',
        'main.js': "import { mount } from 'svelte'\nimport App from './App.svelte'\nmount(App, { target: document.getElementById('app') })\n",
        'App.svelte': '<img src="imageboss:/a.jpg?w=200&srcset=auto" alt="a">\n'
      },
      svelte()
    )
    expect(js).toContain(srcset)
    expect(js).toContain('(min-width: 200px) 200px, 100vw')
    expect(js).not.toContain('imageboss:')
  })
})
