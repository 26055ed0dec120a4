import { configDefaults, defineConfig } from 'vitest/config'

// Three projects; every test file belongs to exactly one of them, decided by its folder, so
// that a new test file lands in the right place:
//   unit         in-process and fast (seconds in all), importing src/ only, so a fresh clone
//                runs it with no build: `npm run test:unit`. test/core, test/scan,
//                test/property, test/rehype, test/markdown-it, and test/units (the pure
//                functions of the adapters).
//   e2e          the browser tests, test/e2e: `npm run test:e2e`.
//   integration  every other folder: real Vite and Astro builds, dev servers, the CLI on
//                sites, hostile inputs, leak scans, the package as built (test/package).

const UNIT = ['test/core', 'test/scan', 'test/property', 'test/rehype', 'test/markdown-it', 'test/units']
const E2E = ['test/e2e']
const files = (folders: string[]) => folders.map((folder) => `${folder}/**/*.test.ts`)

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: files(UNIT),
          // One module graph per worker rather than per file: half the time of this project. So
          // unit tests leave no global state behind (`process.env`, the current directory), and
          // make no scratch directories (test/helpers/scratch.ts needs an isolated file).
          isolate: false
        }
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...files(UNIT), ...files(E2E)]
        }
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: files(E2E),
          globalSetup: ['test/e2e/global-setup.ts']
        }
      }
    ]
  }
})
