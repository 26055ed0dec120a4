// One `vite build` in its own process, so its peak RSS is its own. Prints one JSON line:
// CPU milliseconds of the build, wall milliseconds, maxRSS (KiB) and, with the plugin,
// handler calls counted by whether the code they were given held a reference.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'vite'
import imageboss from 'imageboss-build/vite'
import { performance } from 'node:perf_hooks'

const [root, withPlugin, options] = [process.argv[2], process.argv[3] === 'plugin', JSON.parse(process.argv[4])]
const input = readdirSync(root)
  .filter((name) => name.endsWith('.html'))
  .map((name) => join(root, name))
const calls = { withReference: 0, withoutReference: 0, byHook: {} }

/** Count every call of a transform-like handler, keyed by whether its input held a reference. */
function counted(plugin) {
  for (const hook of ['transform', 'transformIndexHtml', 'load', 'resolveId']) {
    const value = plugin[hook]
    if (!value) continue
    const handler = typeof value === 'function' ? value : value.handler
    const wrapped = function (code, ...rest) {
      const key = `${plugin.name}.${hook}`
      calls.byHook[key] = (calls.byHook[key] ?? 0) + 1
      if (hook === 'transform' || hook === 'transformIndexHtml') {
        if (String(code).includes('imageboss')) calls.withReference++
        else calls.withoutReference++
      }
      return handler.call(this, code, ...rest)
    }
    plugin[hook] = typeof value === 'function' ? wrapped : { ...value, handler: wrapped }
  }
  return plugin
}

const plugins = withPlugin ? imageboss(options).map(counted) : []
const cpu = process.cpuUsage()
const start = performance.now()
await build({
  root,
  configFile: false,
  logLevel: 'silent',
  plugins,
  build: { outDir: join(root, 'dist'), emptyOutDir: true, rollupOptions: { input } }
})
const used = process.cpuUsage(cpu)
process.stdout.write(
  JSON.stringify({
    cpu: (used.user + used.system) / 1000,
    wall: performance.now() - start,
    maxRSS: peakKiB(),
    calls: withPlugin ? calls : undefined
  }) + '\n'
)

/**
 * This process's peak memory (KiB): `VmHWM` where Linux gives it, which starts afresh at
 * `exec`; `maxRSS` carries the peak of the forked parent (the benchmark) into the child.
 */
function peakKiB() {
  try {
    return Number(/VmHWM:\s*(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1])
  } catch {
    return process.resourceUsage().maxRSS
  }
}
