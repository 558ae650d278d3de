import * as esbuild from 'esbuild';
import * as path from 'node:path';

export const SUITE_DIR = path.resolve(__dirname, '../../out/integration/suite');

/**
 * Bundles the in-host suite. `vscode` comes from the extension host; mocha is resolved at run time
 * from the repository's node_modules (the compiled suite lives inside the repository).
 */
export async function buildSuite(): Promise<string> {
  const outfile = path.join(SUITE_DIR, 'index.js');
  await esbuild.build({
    entryPoints: [path.resolve(__dirname, 'suite/index.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return outfile;
}
