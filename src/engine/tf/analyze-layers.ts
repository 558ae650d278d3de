import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { BackendName } from './backend';
import type { LayerAnalysisResult, LayerWorkerRequest } from './layer-analysis-types';

/** Building a large model with the pure-JS backend can take tens of seconds; a stuck one is ended here. */
const DEFAULT_TIMEOUT_MS = 60_000;

export interface AnalyzeLayersOptions {
  timeoutMs?: number;
  /** Aborting ends the worker at once and resolves with a `cancelled` error. */
  signal?: AbortSignal;
  /** TensorFlow.js backends to try, fastest first by default. */
  prefer?: BackendName[];
}

/**
 * Per-layer output shapes, parameters and MACs of a Keras (.h5, .keras) or TF.js Layers (model.json)
 * model, computed by TensorFlow.js in a worker thread (dist/tf-worker.js next to the bundle; the
 * TypeScript entry under tsx in tests). Always resolves: failures, the timeout and cancellation
 * come back as typed errors naming the file.
 */
export function analyzeLayers(file: string, options: AnalyzeLayersOptions = {}): Promise<LayerAnalysisResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const fromSource = __filename.endsWith('.ts');
  const request: LayerWorkerRequest = { file, prefer: options.prefer, wasmDir: fromSource ? undefined : __dirname };
  const error = (kind: 'timeout' | 'cancelled' | 'failed', message: string): LayerAnalysisResult => ({ ok: false, error: { file, kind, message } });
  if (options.signal?.aborted) return Promise.resolve(error('cancelled', 'the layer analysis was cancelled'));
  // stdout/stderr are piped and dropped: TensorFlow.js prints notices, and the language server's stdout is its LSP channel.
  const streams = { stdout: true, stderr: true, workerData: request };
  const worker = fromSource
    ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(path.join(__dirname, 'layer-worker.ts'))});`, { eval: true, ...streams })
    : new Worker(path.join(__dirname, 'tf-worker.js'), streams);
  worker.stdout.resume();
  worker.stderr.resume();
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: LayerAnalysisResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', abort);
      void worker.terminate();
      resolve(result);
    };
    const timer = setTimeout(() => finish(error('timeout', `the layer analysis did not finish within ${timeoutMs / 1000} s`)), timeoutMs);
    const abort = () => finish(error('cancelled', 'the layer analysis was cancelled'));
    options.signal?.addEventListener('abort', abort, { once: true });
    worker.once('message', (result: LayerAnalysisResult) => finish(result));
    worker.once('error', (e) => finish(error('failed', `the layer analysis failed: ${e.message}`)));
    worker.once('exit', (code) => finish(error('failed', `the layer analysis worker exited (code ${code}) without a result`)));
  });
}
