// Bundles the extension, the language server, the CLI, the workers and the webview pages into dist/, and copies
// the tree-sitter and TensorFlow.js wasm files next to them: the packaged extension loads them from there, never from node_modules.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8'));
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // h5wasm is an ES module that locates itself through import.meta.url; give the CommonJS bundle one.
  define: { DL_DOCTOR_VERSION: JSON.stringify(pkg.version), 'import.meta.url': '__bundleUrl' },
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  // web-tree-sitter's ESM build reads import.meta.url, which a CommonJS bundle does not have; its CJS build does not.
  alias: { 'web-tree-sitter': './node_modules/web-tree-sitter/tree-sitter.cjs' },
};

const builds = [
  { ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { ...common, entryPoints: ['src/server/main.ts'], outfile: 'dist/server.js' },
  { ...common, entryPoints: ['src/cli/bin.ts'], outfile: 'dist/cli.js' },
  // HDF5 reading runs in a worker thread the server and the CLI can time out (see hdf5-client.ts).
  { ...common, entryPoints: ['src/engine/models/keras/hdf5-worker.ts'], outfile: 'dist/hdf5-worker.js' },
  // TensorFlow.js builds models in a worker thread the server can time out and cancel (see analyze-layers.ts).
  // tfjs-node is optional and native: loaded from node_modules when installed, skipped otherwise.
  { ...common, entryPoints: ['src/engine/tf/layer-worker.ts'], outfile: 'dist/tf-worker.js', external: ['@tensorflow/tfjs-node'] },
  // Webview pages: browser bundles, one per panel, loaded by the page under its strict CSP.
  {
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
    entryPoints: { 'model-report': 'webview/model-report/main.ts', 'learning-curves': 'webview/learning-curves/main.ts' },
    outdir: 'dist/webview',
  },
];

// tfjs-backend-wasm loads the SIMD build where the CPU has SIMD, the plain one otherwise (the threaded
// build needs cross-origin isolation, which Node workers do not report).
const tfjsWasmDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));

fs.mkdirSync('dist/webview', { recursive: true });
// Codicons for the webviews (severity icons, the web components' icons), served from the extension.
for (const file of ['codicon.css', 'codicon.ttf']) {
  fs.copyFileSync(path.join(path.dirname(require.resolve('@vscode/codicons/package.json')), 'dist', file), path.join('dist/webview', file));
}
// uPlot's layout rules for the Learning Curves page (media/learning-curves.css imports them).
fs.copyFileSync(path.join(path.dirname(require.resolve('uplot/package.json')), 'dist', 'uPlot.min.css'), path.join('dist/webview', 'uPlot.min.css'));
for (const [from, to] of [
  [require.resolve('web-tree-sitter/tree-sitter.wasm'), 'tree-sitter.wasm'],
  [path.join(path.dirname(require.resolve('tree-sitter-python/package.json')), 'tree-sitter-python.wasm'), 'tree-sitter-python.wasm'],
  // JavaScript and TypeScript scripts are read for the TensorFlow.js models they load.
  [path.join(path.dirname(require.resolve('tree-sitter-javascript/package.json')), 'tree-sitter-javascript.wasm'), 'tree-sitter-javascript.wasm'],
  [path.join(path.dirname(require.resolve('tree-sitter-typescript/package.json')), 'tree-sitter-typescript.wasm'), 'tree-sitter-typescript.wasm'],
  [path.join(tfjsWasmDir, 'tfjs-backend-wasm.wasm'), 'tfjs-backend-wasm.wasm'],
  [path.join(tfjsWasmDir, 'tfjs-backend-wasm-simd.wasm'), 'tfjs-backend-wasm-simd.wasm'],
]) {
  fs.copyFileSync(from, path.join('dist', to));
}

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
  fs.chmodSync('dist/cli.js', 0o755);
}
