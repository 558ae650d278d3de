import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as TF from '@tensorflow/tfjs';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

/** TensorFlow.js with the backend that actually loaded, and why the faster ones did not. */
export interface TfRuntime {
  tf: typeof TF;
  backend: BackendName;
  /** One line per backend tried before the one in use, e.g. "tensorflow: module not installed". */
  skipped: string[];
}

export interface TfOptions {
  /** Backends in order of preference; the default is the fastest first. */
  prefer?: readonly BackendName[];
  /** Folder holding tfjs-backend-wasm's .wasm files (defaults to the package's dist folder). */
  wasmDir?: string;
}

const DEFAULT_ORDER: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];
/** A name, not a literal, so bundlers leave the lookup to run time. */
const WASM_PACKAGE = '@tensorflow/tfjs-backend-wasm';

/**
 * Picks the TensorFlow.js backend: tfjs-node (native libtensorflow) where it loads in a plain Node
 * process — it is an optional dependency whose install downloads libtensorflow, so it is often
 * missing, and it cannot load inside Electron — then the wasm backend, then the pure-JS cpu backend.
 */
export async function loadTensorFlow(options: TfOptions = {}): Promise<TfRuntime> {
  const skipped: string[] = [];
  for (const backend of options.prefer ?? DEFAULT_ORDER) {
    try {
      const tf = await activate(backend, options);
      return { tf, backend, skipped };
    } catch (error) {
      skipped.push(`${backend}: ${reason(error)}`);
    }
  }
  throw new Error(`no TensorFlow.js backend could start (${skipped.join('; ')})`);
}

async function activate(backend: BackendName, options: TfOptions): Promise<typeof TF> {
  if (backend === 'tensorflow') {
    if (process.versions.electron) throw new Error('tfjs-node cannot load inside Electron');
    // Registers the native 'tensorflow' backend on the shared tfjs instance.
    const tf = (await import('@tensorflow/tfjs-node' as string)) as typeof TF;
    if (!(await tf.setBackend('tensorflow'))) throw new Error('tfjs-node loaded but its backend did not initialise');
    return tf;
  }
  const tf = await import('@tensorflow/tfjs');
  if (backend === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    // Bundled code passes wasmDir (dist/ holds the .wasm copies); the package's folder serves tests and tools.
    const dir = options.wasmDir ?? path.dirname(require.resolve(WASM_PACKAGE));
    if (!fs.existsSync(path.join(dir, 'tfjs-backend-wasm.wasm'))) throw new Error(`tfjs-backend-wasm.wasm not found in ${dir}`);
    wasm.setWasmPaths(dir.endsWith(path.sep) ? dir : dir + path.sep);
  }
  if (!(await tf.setBackend(backend))) throw new Error(`the ${backend} backend did not initialise`);
  await tf.ready();
  return tf;
}

function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as NodeJS.ErrnoException).code;
  if ((code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') && message.includes('@tensorflow/tfjs-node')) {
    return 'optional dependency @tensorflow/tfjs-node is not installed';
  }
  return message.split('\n')[0];
}
