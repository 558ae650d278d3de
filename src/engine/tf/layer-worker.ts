/**
 * Worker-thread entry of the per-layer analysis: TensorFlow.js builds the model here, where the
 * caller's timeout or cancellation can end it (analyze-layers.ts), never on the server's loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { analyseModel } from './analyse-model';
import type { LayerAnalysisResult, LayerWorkerRequest } from './layer-analysis-types';

const request = workerData as LayerWorkerRequest;
analyseModel(request).then(
  (result) => parentPort?.postMessage(result),
  (error: unknown) =>
    parentPort?.postMessage({
      ok: false,
      error: { file: request.file, kind: 'failed', message: error instanceof Error ? error.message : String(error) },
    } satisfies LayerAnalysisResult),
);
