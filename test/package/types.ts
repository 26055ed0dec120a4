// Type-checking consumer code against the packed package's declarations, with TypeScript's
// own API, in a project that has no `@types/node`: `types: []`, and library files checked.
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import ts from 'typescript'

/** The consumer's `tsconfig.json`: strict, Node's ESM resolution, no ambient types at all. */
export const COMPILER_OPTIONS = { types: [], skipLibCheck: false, module: 'nodenext', strict: true, noEmit: true }

/** Consumer modules of the entry points whose declarations need nothing from Node or a peer. */
export const PLAIN_CONSUMERS: Record<string, string> = {
  'core.ts': `import { createImageBoss, ImageBossError, parseReference, signPath, type ImageBossOptions } from 'imageboss-build'
const options: ImageBossOptions = { source: 'demo-images', secret: 'demo-secret', env: {} }
export const url: string = createImageBoss(options).url('imageboss:/a.jpg?w=800')
export const token: string = signPath('demo-secret', '/demo-images/width/800/a.jpg')
export const parsed = parseReference('imageboss:/a.jpg?w=800')
export const isError = (error: unknown): boolean => error instanceof ImageBossError
`,
  'rehype.ts': `import rehypeImageBoss, { type Options } from 'imageboss-build/rehype'
export const options: Options = { source: 'demo-images' }
export const plugin = rehypeImageBoss
`,
  'markdown-it.ts': `import markdownItImageBoss, { type Options } from 'imageboss-build/markdown-it'
export const options: Options = { source: 'demo-images' }
export const plugin = markdownItImageBoss
`,
  'eleventy.ts': `import eleventyImageBoss, { type ImageBossEleventyOptions } from 'imageboss-build/eleventy'
export const options: ImageBossEleventyOptions = { source: 'demo-images' }
export const plugin = eleventyImageBoss
`,
  'webpack.ts': `import imagebossWebpack, { type ImageBossWebpackOptions } from 'imageboss-build/webpack'
import imagebossRspack, { type ImageBossRspackOptions } from 'imageboss-build/rspack'
export const options: ImageBossWebpackOptions = { source: 'demo-images' }
export const rspackOptions: ImageBossRspackOptions = { source: 'demo-images' }
export const plugins = [imagebossWebpack(options), imagebossRspack(rspackOptions)]
`,
  'astro-runtime.ts': `import { imagebossUrl } from 'imageboss-build/astro/runtime'
export const url = imagebossUrl
`,
  'client.ts': `/// <reference types="imageboss-build/client" />
import url, { srcset } from 'imageboss:/a.jpg?w=800'
export const image: string = url
export const candidates: string | undefined = srcset
`
}

/** Consumer modules of the entry points whose declarations import Vite's or Astro's types. */
export const PEER_CONSUMERS: Record<string, string> = {
  'vite.ts': `import imageboss, { type ImageBossPluginOptions } from 'imageboss-build/vite'
export const options: ImageBossPluginOptions = { source: 'demo-images' }
export const plugins = imageboss(options)
`,
  'astro.ts': `import imageboss, { type Options } from 'imageboss-build/astro'
export const options: Options = { source: 'demo-images' }
export const integration = imageboss(options)
`,
  'astro-service.ts': `import { imagebossService } from 'imageboss-build/astro/service'
export const service = imagebossService()
`,
  'astro-service-entry.ts': `import service from 'imageboss-build/astro/service-entry'
export const entry = service
`,
  'astro-content.ts': `import { z } from 'astro/zod'
import { imagebossImage, type ImageAttributes } from 'imageboss-build/astro/content'
export const schema = z.object({ cover: imagebossImage(), photo: imagebossImage({ attributes: true }).optional() })
export const read = (data: z.infer<typeof schema>): [string, ImageAttributes | undefined] => [data.cover, data.photo]
`
}

/** A problem TypeScript found, as `file(line,col): message` with `file` relative to `dir`. */
export interface TypeProblem {
  file: string
  text: string
}

/** Write `consumers` into `dir` with a `tsconfig.json` of `COMPILER_OPTIONS`, and type-check them. */
export async function typeCheck(dir: string, consumers: Record<string, string>): Promise<TypeProblem[]> {
  for (const [name, code] of Object.entries(consumers)) await writeFile(path.join(dir, name), code)
  const configFile = path.join(dir, 'tsconfig.json')
  await writeFile(configFile, JSON.stringify({ compilerOptions: COMPILER_OPTIONS, files: Object.keys(consumers) }, null, 2))
  const parsed = ts.getParsedCommandLineOfConfigFile(
    configFile,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'))
      }
    }
  )
  if (!parsed) throw new Error('no tsconfig in ' + dir)
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options })
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const file = diagnostic.file ? path.relative(dir, diagnostic.file.fileName) : '(program)'
    const at = diagnostic.file && diagnostic.start !== undefined ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start) : undefined
    const place = at ? `(${at.line + 1},${at.character + 1})` : ''
    return { file, text: `${file}${place}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}` }
  })
}
