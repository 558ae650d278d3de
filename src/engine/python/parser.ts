import * as fs from 'node:fs';
import * as path from 'node:path';
import { Language, Parser, type Tree } from 'web-tree-sitter';

/**
 * tree-sitter's Python grammar, compiled to wasm. The bundles (dist/*.js) find both .wasm files next
 * to themselves — that is what the .vsix ships; running from source (tests via tsx) falls back to
 * the copies in node_modules.
 */
const RUNTIME_WASM = 'tree-sitter.wasm';
const PYTHON_WASM = 'tree-sitter-python.wasm';

export interface PythonParser {
  /** Parses source text; the caller must `delete()` the tree (it lives in wasm memory). */
  parse(text: string): Tree;
}

let loading: Promise<PythonParser> | undefined;

/** Loads the parser once per process; later calls share it. */
export function loadPythonParser(wasmDir?: string): Promise<PythonParser> {
  loading ??= load(wasmDir).catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

async function load(wasmDir: string | undefined): Promise<PythonParser> {
  const runtimeWasm = locate(RUNTIME_WASM, wasmDir, 'web-tree-sitter');
  const pythonWasm = locate(PYTHON_WASM, wasmDir, 'tree-sitter-python');
  // Only locateFile matters; the cast keeps other packages' Emscripten typings out of the way.
  await Parser.init({ locateFile: () => runtimeWasm } as unknown as Parameters<typeof Parser.init>[0]);
  const language = await Language.load(fs.readFileSync(pythonWasm));
  const parser = new Parser();
  parser.setLanguage(language);
  return {
    parse(text: string): Tree {
      const tree = parser.parse(text);
      if (!tree) throw new Error('tree-sitter returned no tree');
      return tree;
    },
  };
}

function locate(file: string, wasmDir: string | undefined, npmPackage: string): string {
  const candidates = [wasmDir, __dirname].filter((d): d is string => !!d).map((d) => path.join(d, file));
  // Running from source (tests): the package's own copy in the nearest node_modules.
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    candidates.push(path.join(dir, 'node_modules', npmPackage, file));
  }
  const found = candidates.find((candidate) => fs.existsSync(candidate));
  if (!found) throw new Error(`DL Doctor cannot find ${file}; looked next to ${__dirname} and in node_modules/${npmPackage}`);
  return found;
}
