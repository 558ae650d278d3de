import { loadGrammar, type SourceParser } from '../tree-sitter';

/** tree-sitter's Python grammar, compiled to wasm. */
const PYTHON_WASM = 'tree-sitter-python.wasm';

export type PythonParser = SourceParser;

let loading: Promise<PythonParser> | undefined;

/** Loads the parser once per process; later calls share it. */
export function loadPythonParser(wasmDir?: string): Promise<PythonParser> {
  loading ??= loadGrammar(PYTHON_WASM, 'tree-sitter-python', wasmDir).catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}
