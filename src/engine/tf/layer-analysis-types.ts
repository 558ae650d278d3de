/**
 * What the per-layer analysis of a model file returns: the language server sends it to the Model
 * Report as is, so everything here is plain JSON (no tensors, no class instances).
 */
import type { BackendName } from './backend';

/** A tensor shape with `null` for dimensions fixed only at run time (the batch, a free sequence length). */
export type Shape = (number | null)[];

export interface LayerRow {
  name: string;
  /** Keras / TF.js class name as stored in the file, e.g. `Conv2D`. */
  className: string;
  /** Output shape(s) with the batch dimension first (null); absent when TensorFlow.js did not build the layer. */
  outputShape?: Shape | Shape[];
  /** Every weight of the layer, trainable or not (BatchNorm moving statistics count, as in Keras). */
  parameters: number;
  /** Absent when only the static reader saw the layer (it cannot tell trainable weights apart). */
  trainableParameters?: number;
  /** Multiply-accumulates for one sample (conventions in layer-macs.ts); absent when unknown. */
  macs?: number;
  /** `tfjs`: TensorFlow.js built the layer from the stored config; `static`: weights read from the file only. */
  source: 'tfjs' | 'static';
}

export interface UnsupportedLayer {
  layer: string;
  className: string;
  /** Why TensorFlow.js cannot build it, e.g. "Lambda layers hold Python bytecode; DL Doctor never loads them". */
  reason: string;
}

export interface LayerAnalysis {
  file: string;
  /** The TensorFlow.js backend that built the model. */
  backend: BackendName;
  /** Faster backends that did not start, with the reason (e.g. tfjs-node not installed). */
  backendsSkipped: string[];
  /** The model's input shape(s), batch dimension first; empty when no layer could be built. */
  inputShapes: Shape[];
  layers: LayerRow[];
  /** Sum of the layers' MACs per sample; a lower bound when `macsComplete` is false; absent when TensorFlow.js built nothing. */
  totalMacs?: number;
  /** True when every layer's MACs are known. */
  macsComplete: boolean;
  parameters: number;
  trainableParameters?: number;
  /** One forward pass of one sample (zero weights and input) on `backend`, after a warm-up pass; absent when skipped (see notes). */
  inferenceMs?: number;
  unsupported: UnsupportedLayer[];
  /** What a reader of the numbers should know: approximations made to build the model, mismatches with the file. */
  notes: string[];
  durationMs: number;
}

export type LayerAnalysisErrorKind =
  /** The file could not be read as a model (the static reader's message). */
  | 'unreadable'
  /** A model file without a layer topology (a state dict, a TF.js graph model, ONNX, ...). */
  | 'no-topology'
  /** No TensorFlow.js backend could start. */
  | 'no-backend'
  | 'timeout'
  | 'cancelled'
  /** TensorFlow.js rejected the topology, or the worker failed. */
  | 'failed';

export interface LayerAnalysisError {
  file: string;
  kind: LayerAnalysisErrorKind;
  /** A sentence naming the file's problem, for the report and the log. */
  message: string;
}

export type LayerAnalysisResult = { ok: true; analysis: LayerAnalysis } | { ok: false; error: LayerAnalysisError };

/** What the analysis worker is asked (crosses the worker-thread boundary). */
export interface LayerWorkerRequest {
  file: string;
  /** Backends to try, fastest first by default. */
  prefer?: BackendName[];
  /** Folder holding tfjs-backend-wasm's .wasm files; the package's own folder when absent. */
  wasmDir?: string;
}
