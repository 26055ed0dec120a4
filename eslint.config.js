import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      'test-output/**',
      '**/.tmp/**',
      '**/.astro/**',
      '**/.nuxt/**',
      '**/.output/**',
      '**/.next/**',
      'test/fixtures/**'
    ]
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', URLSearchParams: 'readonly' }
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }]
    }
  },
  // The examples' own client code runs in the browser.
  { files: ['examples/*/src/**/*.js'], languageOptions: { globals: { document: 'readonly', window: 'readonly' } } }
)
