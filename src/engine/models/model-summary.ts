/** One tensor of a model file, as recorded in its metadata (no weights are read for this). */
export interface TensorInfo {
  name: string;
  shape: number[];
  dtype: string;
  /** Number of elements: the product of the shape. */
  numel: number;
  /** Where the elements are: a storage entry (PyTorch archives) or a byte range (safetensors). */
  location?: { storage: string; elementOffset: number } | { byteOffset: number };
}

/** Streaming statistics of one tensor's values. */
export interface TensorStats {
  count: number;
  min: number;
  max: number;
  mean: number;
  std: number;
  zeroFraction: number;
  nan: number;
  inf: number;
}

export interface WeightStats {
  /** Tensor name → statistics of its finite values (NaN/inf are counted apart). */
  tensors: Record<string, TensorStats>;
  /** True when the time or size budget ran out before every tensor was read. */
  partial: boolean;
  bytesRead: number;
  /** Why the weights could not be read (the metadata could): a corrupt or truncated archive. */
  error?: string;
}

export type ModelFormat = 'pytorch-zip' | 'pytorch-legacy' | 'pickle' | 'safetensors' | 'gguf' | 'onnx' | 'keras-h5' | 'keras' | 'tfjs';

/** What a pickled object is, as far as its structure tells. */
export type ModelKind = 'state_dict' | 'module' | 'checkpoint' | 'other';

/** What every model reader returns: the facts the rules, the CLI and the report use. */
export interface ModelSummary {
  format: ModelFormat;
  file: string;
  sizeBytes: number;
  kind: ModelKind;
  tensors: TensorInfo[];
  /** Model parameters: weights and biases, not BatchNorm statistics or optimizer state. */
  parameters: number;
  /** Values held by optimizer state (Adam's two moments per parameter, momentum buffers). */
  optimizerValues: number;
  /** Elements per dtype across the model's parameters. */
  dtypes: Record<string, number>;
  /** Every `module.name` the file's pickles would import when loaded by Python. */
  globals: string[];
  /** Training epoch recorded in a checkpoint. */
  epoch?: number;
  /** Weight statistics, when they were computed. */
  stats?: WeightStats;
  /** ONNX graph facts. */
  onnx?: OnnxFacts;
  /** Keras model facts. */
  keras?: KerasFacts;
}

export interface KerasFacts {
  version?: string;
  modelClass?: string;
  layers: { name: string; className: string }[];
  /** Lambda layers and config entries that name modules outside Keras. */
  unsafeConfig: { where: string; what: string }[];
}

export interface OnnxFacts {
  opset?: string;
  /** Operator type → number of nodes. */
  ops: Record<string, number>;
  inputs: string[];
  outputs: string[];
  /** Initializers whose external data would be read from outside the model's folder. */
  externalDataEscapes: { tensor: string; location: string; reason: string }[];
}

/** A file that could not be read, with what is wrong in words a user can act on. */
export interface ModelReadError {
  file: string;
  error: string;
  /** Globals seen before the error: unsafe ones are still worth reporting. */
  globals: string[];
}

export type ModelReadResult = { ok: true; summary: ModelSummary } | ({ ok: false } & ModelReadError);

/** Only floating-point (and complex) tensors can be trained; integer ones are ids, masks and counters. */
export function isTrainableDtype(dtype: string): boolean {
  return /^(float|bfloat|complex|half|double)/.test(dtype);
}

/** Parameters (floating-point elements) and their split by dtype, as every reader reports them. */
export function parameterTotals(tensors: readonly TensorInfo[]): { parameters: number; dtypes: Record<string, number> } {
  const dtypes: Record<string, number> = {};
  let parameters = 0;
  for (const t of tensors) {
    if (!isTrainableDtype(t.dtype)) continue;
    dtypes[t.dtype] = (dtypes[t.dtype] ?? 0) + t.numel;
    parameters += t.numel;
  }
  return { parameters, dtypes };
}
