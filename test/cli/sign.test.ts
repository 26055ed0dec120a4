import { describe, expect, it } from 'vitest'
import { expectedUrl } from '../helpers/expected.js'
import { cli, cliVars, runCli, SECRET, tempDir } from './run.js'

// In process (`runCli`); the executable's own behaviour (its stdin, its exit code, its messages
// on a usage error) in a child process (`cli`) at the end.
describe('imageboss sign', () => {
  it('matches the official clients’ vector', async () => {
    const vars = cliVars({ IMAGEBOSS_SOURCE: 'mysecureimages', IMAGEBOSS_SECRET: 'mysecret' })
    const result = await runCli(['sign', 'imageboss:/01.jpg?w=500&format=jpg'], { vars })
    expect(result.stdout.trim()).toBe(expectedUrl('/mysecureimages/width/500/format:jpg/01.jpg', 'mysecret'))
  })

  it('prints resolve() objects with --json', async () => {
    const result = await runCli(['sign', '--json', 'imageboss:/a.jpg?w=300&h=200&quality=80'])
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual([
      {
        url: expectedUrl('/demo/cover/300x200/format:auto,quality:80/a.jpg', SECRET),
        source: 'demo',
        operation: 'cover',
        width: 300,
        height: 200,
        options: { format: 'auto', quality: '80' },
        path: '/a.jpg',
        signedPath: '/demo/cover/300x200/format:auto,quality:80/a.jpg',
        signed: true
      }
    ])
  })

  it('locates stdin problems by line and column', async () => {
    const result = await runCli(['sign', '--json'], { input: 'imageboss:/ok.jpg\n  imageboss:/a.jpg?w=99999\n' })
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/^<stdin>:2:22: invalid-value: /)
    const json = JSON.parse(result.stdout) as { error?: { ruleId: string } }[]
    expect(json[1]?.error?.ruleId).toBe('invalid-value')
  })

  it('fails once, with exit code 2, on a missing secret, and never prints a secret', async () => {
    const result = await runCli(['sign', 'imageboss:/a.jpg'], { vars: cliVars({ IMAGEBOSS_SECRET: undefined }) })
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/^imageboss: missing-secret: Missing secret for source `demo`, expected the `IMAGEBOSS_SECRET` variable/)
    expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1)
    const other = await runCli(['sign', 'imageboss:/a.jpg?qualty=1', 'imageboss://nope/a.jpg'])
    expect(other.stdout + other.stderr).not.toContain(SECRET)
    expect(other.stdout + other.stderr).not.toContain('blog-assets-secret')
  })
})

describe('usage', () => {
  for (const command of ['sign', 'rewrite', 'verify']) {
    it(`\`${command} --help\` prints usage with examples`, async () => {
      const result = await runCli([command, '--help'])
      expect(result.code).toBe(0)
      expect(result.stdout).toMatch(new RegExp(`^Usage: imageboss ${command} `))
      expect(result.stdout).toContain('Examples:')
      expect(result.stdout).toContain(`imageboss ${command} `)
      expect(result.stdout).toContain('IMAGEBOSS_SECRET')
    })
  }

  it('`verify --next` takes a `--dist-dir` inside the project, and `--dist-dir` goes with `--next` only', async () => {
    const project = tempDir()
    const alone = await runCli(['verify', '--dist-dir', 'build', '.'], { cwd: project })
    expect(alone.code).toBe(2)
    expect(alone.stderr).toContain('Unexpected `--dist-dir` without `--next`')
    for (const outside of ['../elsewhere', '/tmp', '']) {
      const result = await runCli(['verify', '--next', '--dist-dir', outside], { cwd: project })
      expect(result.code, outside).toBe(2)
      expect(result.stderr).toContain('inside the project')
    }
    // No build yet: where it looked, and, for the default folder, the option.
    const none = await runCli(['verify', '--next'], { cwd: project })
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('(`.next/` or `out/`), found none: run `next build` first (with `distDir` in next.config, pass it: `--dist-dir <dir>`)')
    const custom = await runCli(['verify', '--next', '--dist-dir', 'build'], { cwd: project })
    expect(custom.code).toBe(2)
    expect(custom.stderr).toContain('(`.next/` or `build/`), found none: run `next build` first\n')
  })

  it('`--help` lists the commands; no command is a usage error', async () => {
    const help = await runCli(['--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toMatch(/sign <reference\.\.\.>[\s\S]*rewrite <dir>[\s\S]*verify <dir>/)
    expect((await runCli([])).code).toBe(2)
  })
})

describe('the `imageboss` executable (a child process)', () => {
  it('prints one signed URL per argument', () => {
    const result = cli(['sign', 'imageboss:/photos/cat.jpg?w=800', 'imageboss://blog-assets/a.jpg?w=10&h=20&mode=face'])
    expect(result.code).toBe(0)
    expect(result.stdout).toBe(
      [
        expectedUrl('/demo/width/800/format:auto/photos/cat.jpg', SECRET),
        expectedUrl('/blog-assets/cover:face/10x20/format:auto/a.jpg', 'blog-assets-secret')
      ].join('\n') + '\n'
    )
  })

  it('reads references from stdin, one per line, when given none', () => {
    const result = cli(['sign'], { input: 'imageboss:/a.jpg?w=100\n\n  imageboss:/b.jpg\r\n' })
    expect(result.code).toBe(0)
    expect(result.stdout).toBe(expectedUrl('/demo/width/100/format:auto/a.jpg', SECRET) + '\n' + expectedUrl('/demo/cdn/format:auto/b.jpg', SECRET) + '\n')
  })

  it('reports an invalid reference with its rule id and column, signs the others, exits 1', () => {
    const result = cli(['sign', 'imageboss:/a.jpg?qualty=80', 'imageboss:/b.jpg'])
    expect(result.code).toBe(1)
    expect(result.stdout).toBe(expectedUrl('/demo/cdn/format:auto/b.jpg', SECRET) + '\n')
    expect(result.stderr).toBe('<argument 1>:1:18: unknown-parameter: Unexpected unknown parameter `qualty`, expected a known parameter such as `quality`\n')
  })

  it('exits 2 with a clean message (no stack) on usage errors', () => {
    for (const args of [['frob'], ['rewrite'], ['rewrite', '--nope', 'x'], ['verify', 'does/not/exist'], ['rewrite', '--threads', '0', '.']]) {
      const result = cli(args)
      expect(result.code, args.join(' ')).toBe(2)
      expect(result.stderr).toMatch(/^imageboss: /)
      expect(result.stderr).not.toMatch(/\n\s+at /)
    }
  })
})
