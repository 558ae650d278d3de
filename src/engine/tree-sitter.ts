import * as fs from 'node:fs';
import * as path from 'node:path';
import { Language, Parser, type Tree } from 'web-tree-sitter';

/**
 * tree-sitter grammars compiled to wasm, run by web-tree-sitter. The bundles (dist/*.js) find the
 * .wasm files next to themselves — that is what the .vsix ships; running from source (tests via tsx)
 * falls back to the copies in node_modules.
 */
const RUNTIME_WASM = 'tree-sitter.wasm';

export interface SourceParser {
  /** Parses source text; the caller must `delete()` the tree (it lives in wasm memory). */
  parse(text: string): Tree;
}

let runtime: Promise<void> | undefined;

/** Loads one grammar (`tree-sitter-python.wasm` from the `tree-sitter-python` package, …) into a parser. */
export async function loadGrammar(wasmFile: string, npmPackage: string, wasmDir: string | undefined): Promise<SourceParser> {
  const runtimeWasm = locate(RUNTIME_WASM, wasmDir, 'web-tree-sitter');
  // The runtime is initialised once per process; every grammar shares it.
  runtime ??= Parser.init({ locateFile: () => runtimeWasm } as unknown as Parameters<typeof Parser.init>[0]).catch((error: unknown) => {
    runtime = undefined;
    throw error;
  });
  await runtime;
  const language = await Language.load(fs.readFileSync(locate(wasmFile, wasmDir, npmPackage)));
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
