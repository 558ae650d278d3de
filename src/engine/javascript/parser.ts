import * as path from 'node:path';
import { loadGrammar, type SourceParser } from '../tree-sitter';

/** Which tree-sitter grammar reads a script: JavaScript, or TypeScript (a superset with types). */
export type ScriptDialect = 'javascript' | 'typescript';

const DIALECTS: Record<string, ScriptDialect> = {
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
};

/** Grammars shipped as .wasm by their npm packages (tree-sitter-javascript 0.25, tree-sitter-typescript 0.23). */
const GRAMMARS: Record<ScriptDialect, { wasm: string; npmPackage: string }> = {
  javascript: { wasm: 'tree-sitter-javascript.wasm', npmPackage: 'tree-sitter-javascript' },
  typescript: { wasm: 'tree-sitter-typescript.wasm', npmPackage: 'tree-sitter-typescript' },
};

/** The dialect of a JavaScript or TypeScript file, or undefined for any other file. */
export function scriptDialect(file: string): ScriptDialect | undefined {
  return DIALECTS[path.extname(file).toLowerCase()];
}

const loading = new Map<ScriptDialect, Promise<SourceParser>>();

/** Loads a grammar on first use (most workspaces never need one) and shares it afterwards. */
export function loadScriptParser(dialect: ScriptDialect, wasmDir?: string): Promise<SourceParser> {
  let parser = loading.get(dialect);
  if (!parser) {
    const { wasm, npmPackage } = GRAMMARS[dialect];
    parser = loadGrammar(wasm, npmPackage, wasmDir);
    parser.catch(() => loading.delete(dialect));
    loading.set(dialect, parser);
  }
  return parser;
}
