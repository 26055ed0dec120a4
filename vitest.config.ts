import { configDefaults, defineConfig } from 'vitest/config'

// Three projects; every test file belongs to exactly one of them.
//   unit         in-process and fast (seconds in all): `npm run test:unit`, no build needed
//   integration  real Vite and Astro builds, dev servers, the CLI on sites, hostile inputs,
//                leak scans, and every test file no other project claims
//   e2e          the browser tests: `npm run test:e2e`
// `npm test` runs all three. Folders decide, so that a new test file lands in the right place:
// test/core, test/scan, test/property and test/rehype are unit; test/e2e is e2e; the rest
// (test/vite, test/cli, test/astro, test/hostile, test/leak, …) is integration.

/** Files of the unit folders that are slow: a child process or a Vite build, a large corpus. */
const SLOW_REHYPE = ['example', 'corpus', 'production-failures']

const UNIT_FOLDERS = ['test/core/**/*.test.ts', 'test/markdown-it/**/*.test.ts', 'test/scan/**/*.test.ts', 'test/property/**/*.test.ts', 'test/rehype/**/*.test.ts']

/** Pure-function tests that live beside slower ones. */
const UNIT_FILES = ['test/vite/units.test.ts', 'test/astro/service.test.ts', 'test/astro/image-props.test.ts', 'test/e2e/responsive.test.ts']

const E2E_FOLDERS = ['test/e2e/**/*.test.ts']

const exclude = (...patterns: string[]) => [...configDefaults.exclude, ...patterns]

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [...UNIT_FOLDERS, ...UNIT_FILES],
          // One module graph per worker rather than per file: half the time of this project. So
          // unit tests leave no global state behind (`process.env`, the current directory), and
          // make no scratch directories (test/helpers/scratch.ts needs an isolated file).
          isolate: false,
          exclude: exclude(...SLOW_REHYPE.map((name) => `test/rehype/**/${name}.test.ts`))
        }
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: exclude(
            'test/core/**',
            'test/scan/**',
            'test/property/**',
            // test/rehype but its slow files, which stay here.
            `test/rehype/**/!(${SLOW_REHYPE.join('|')}).test.ts`,
            ...UNIT_FILES,
            ...E2E_FOLDERS
          )
        }
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: E2E_FOLDERS,
          exclude: exclude(...UNIT_FILES),
          globalSetup: ['test/e2e/global-setup.ts']
        }
      }
    ]
  }
})
