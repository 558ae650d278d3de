// Lint, and the layering the design asks for, enforced rather than remembered:
// only src/extension imports `vscode`; only src/server imports the LSP server library;
// src/engine is a plain library that imports neither.
import tseslint from 'typescript-eslint';

const editor = { name: 'vscode', message: 'Only src/extension may import vscode.' };
const lspServer = { group: ['vscode-languageserver', 'vscode-languageserver/*'], message: 'Only src/server may import the LSP server library.' };
const lspClient = { group: ['vscode-languageclient', 'vscode-languageclient/*'], message: 'Only src/extension may import the LSP client.' };
const lspAny = { group: ['vscode-languageserver*', 'vscode-jsonrpc*'], message: 'The engine is a plain library: no LSP imports.' };

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'test/fixtures/**', '.bench/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  { files: ['src/engine/**/*.ts'], rules: { 'no-restricted-imports': ['error', { paths: [editor], patterns: [lspAny, lspClient] }] } },
  { files: ['src/server/**/*.ts'], rules: { 'no-restricted-imports': ['error', { paths: [editor], patterns: [lspClient] }] } },
  { files: ['src/cli/**/*.ts', 'src/protocol/**/*.ts'], rules: { 'no-restricted-imports': ['error', { paths: [editor], patterns: [lspServer, lspClient] }] } },
  { files: ['src/extension/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [lspServer] }] } },
  // Webview pages run in the browser: no Node, no editor API, and only types from the rest of the product.
  {
    files: ['webview/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: [editor], patterns: [{ group: ['node:*', '../../src/*', '../../src/**'], message: 'Webviews import only types from src (import type).', allowTypeImports: true }] },
      ],
    },
  },
  { files: ['test/**/*.ts', 'esbuild.mjs'], rules: { 'no-console': 'off' } },
);
