import { svelte } from '@sveltejs/vite-plugin-svelte'
import vue from '@vitejs/plugin-vue'
import { build, createServer, type Plugin } from 'vite'
import { describe, expect, it } from 'vitest'
import imageboss from 'imageboss-build/vite'
import { outputFiles, signedUrl, tempProject } from './helpers.js'

const SECRET = 'framework-secret-0c3d'
const url = (signedPath: string) => signedUrl(signedPath, SECRET)

function assertSigned(files: ReturnType<typeof outputFiles>, paths: string[]) {
  const all = files.map((f) => f.text).join('\n')
  for (const signedPath of paths) expect(all).toContain(url(signedPath))
  for (const f of files) if (!f.fileName.endsWith('.map')) expect(f.text, f.fileName).not.toContain('imageboss:')
}

describe.each(['after', 'before'] as const)('framework components, imageboss() listed %s the framework plugin', (order) => {
  const plugins = (framework: Plugin | Plugin[]) => {
    const own = imageboss({ source: 'fw', secret: SECRET, env: {} })
    return order === 'after' ? [framework, own] : [own, framework]
  }

  it('signs a Vue SFC: template attributes, script literals and `<style>`', async () => {
    const root = await tempProject(
      {
        'index.html': '<div id="app"></div><script type="module" src="/src/main.ts"></script>',
        'src/main.ts': "import { createApp } from 'vue'\nimport App from './App.vue'\ncreateApp(App).mount('#app')\n",
        'src/App.vue': [
          '<script setup lang="ts">',
          "const poster: string = 'imageboss:/vue/poster.jpg?w=640'",
          '</script>',
          '',
          '<template>',
          '  <img src="imageboss:/vue/static.jpg?w=320" alt="static">',
          '  <img :src="poster" alt="bound">',
          '  <p class="box">Vue</p>',
          '</template>',
          '',
          '<style scoped>',
          '.box { background: url(imageboss:/vue/bg.jpg?w=100) }',
          '</style>',
          ''
        ].join('\n')
      },
      { nodeModules: true }
    )
    const files = outputFiles(await build({ root, configFile: false, logLevel: 'silent', plugins: plugins(vue()), build: { write: false } }))
    assertSigned(files, ['/fw/width/320/format:auto/vue/static.jpg', '/fw/width/640/format:auto/vue/poster.jpg', '/fw/width/100/format:auto/vue/bg.jpg'])
  })

  it('signs a Svelte component: markup, script literals and `<style>`', async () => {
    const root = await tempProject(
      {
        'index.html': '<div id="app"></div><script type="module" src="/src/main.ts"></script>',
        'src/main.ts': "import { mount } from 'svelte'\nimport App from './App.svelte'\nmount(App, { target: document.getElementById('app')! })\n",
        'src/App.svelte': [
          '<script lang="ts">',
          "  const poster: string = 'imageboss:/svelte/poster.jpg?w=640'",
          '</script>',
          '',
          '<img src="imageboss:/svelte/static.jpg?w=320&amp;h=200" alt="static">',
          '<img src={poster} alt="bound">',
          '<p class="box">Svelte</p>',
          '',
          '<style>',
          '  .box { background: url(imageboss:/svelte/bg.jpg?w=100) }',
          '</style>',
          ''
        ].join('\n')
      },
      { nodeModules: true }
    )
    const files = outputFiles(await build({ root, configFile: false, logLevel: 'silent', plugins: plugins(svelte()), build: { write: false } }))
    assertSigned(files, [
      '/fw/cover/320x200/format:auto/svelte/static.jpg',
      '/fw/width/640/format:auto/svelte/poster.jpg',
      '/fw/width/100/format:auto/svelte/bg.jpg'
    ])
  })
})

describe('code samples in compiled components, on the dev server', () => {
  // Svelte's dev output cuts a template at its elements: `…<code>` in one string, then
  // `imageboss:/…</code>` in the next. The sample is text, in the client and in SSR.
  it.each([false, true])('leaves a Svelte `<code>` sample as text and signs the rest (ssr: %s)', async (ssr) => {
    const root = await tempProject(
      {
        'index.html': '<div id="app"></div><script type="module" src="/src/App.svelte"></script>',
        'src/App.svelte': [
          '<img src="imageboss:/svelte/static.jpg?w=320" alt="static">',
          '<p>Write <code>imageboss:/svelte/code.jpg?w=1</code> in markup.</p>',
          '<pre><code>imageboss:/svelte/block.jpg?w=2</code></pre>',
          ''
        ].join('\n')
      },
      { nodeModules: true }
    )
    const server = await createServer({
      root,
      configFile: false,
      logLevel: 'silent',
      plugins: [svelte(), imageboss({ source: 'fw', secret: SECRET, env: {} })],
      server: { middlewareMode: true, ws: false }
    })
    try {
      const result = await server.transformRequest('/src/App.svelte', { ssr })
      const code = result?.code ?? ''
      expect(code).toContain(url('/fw/width/320/format:auto/svelte/static.jpg'))
      expect(code).toContain('imageboss:/svelte/code.jpg?w=1')
      expect(code).toContain('imageboss:/svelte/block.jpg?w=2')
    } finally {
      await server.close()
    }
  })
})
