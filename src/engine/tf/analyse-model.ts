/**
 * Per-layer analysis of a Keras or TF.js Layers model file with TensorFlow.js: the stored topology
 * is normalised (keras-config.ts), built by tfjs-layers with zero-initialised weights, and read back
 * layer by layer — output shapes, parameters (trainable or not), MACs per sample. Layers TensorFlow.js
 * cannot or must not build keep the numbers the static reader found in the file.
 *
 * Runs inside the analysis worker (layer-worker.ts): building a model allocates its weights and can
 * take seconds, which must never happen on the language server's message loop.
 */
import type * as TF from '@tensorflow/tfjs';
import { readModel } from '../models/read-model';
import type { ModelSummary } from '../models/model-summary';
import { loadTensorFlow, type TfRuntime } from './backend';
import { normalizeTopology, TopologyError, type NormalizedTopology, type TfjsVocabulary } from './keras-config';
import type { LayerAnalysis, LayerAnalysisResult, LayerRow, LayerWorkerRequest, Shape } from './layer-analysis-types';
import { layerCallMacs } from './layer-macs';
import { readStoredTopology, storedLayerParameters } from './stored-topology';

type Layer = TF.layers.Layer;

/** Above this many weight values the model is not built (TensorFlow.js would allocate them all). */
const MAX_BUILD_PARAMETERS = 200_000_000;
/** A timed forward pass runs only for models this cheap (MACs per sample). */
const MAX_FORWARD_MACS = 200_000_000;

export async function analyseModel(request: LayerWorkerRequest): Promise<LayerAnalysisResult> {
  const started = performance.now();
  const { file } = request;
  const fail = (kind: 'unreadable' | 'no-topology' | 'no-backend' | 'failed', message: string): LayerAnalysisResult => ({ ok: false, error: { file, kind, message } });
  const read = await readModel(file);
  if (!read.ok) return fail('unreadable', read.error);
  const summary = read.summary;
  let raw: unknown;
  try {
    raw = await readStoredTopology(file, summary.format);
  } catch (error) {
    return fail(error instanceof TopologyError ? 'no-topology' : 'unreadable', `no layer topology to analyse: ${message(error)}`);
  }
  let runtime: TfRuntime;
  try {
    runtime = await loadTensorFlow({ prefer: request.prefer, wasmDir: request.wasmDir });
  } catch (error) {
    return fail('no-backend', message(error));
  }
  let topology: NormalizedTopology;
  try {
    topology = normalizeTopology(raw, vocabulary(runtime.tf));
  } catch (error) {
    return fail(error instanceof TopologyError ? 'no-topology' : 'failed', `no layer topology to analyse: ${message(error)}`);
  }
  const stored = storedLayerParameters(summary.format, topology.layers, summary.tensors);
  const analysis = await buildAndMeasure(runtime, topology, stored, summary);
  return { ok: true, analysis: { ...analysis, file, durationMs: Math.round(performance.now() - started) } };
}

async function buildAndMeasure(runtime: TfRuntime, topology: NormalizedTopology, stored: number[], summary: ModelSummary): Promise<Omit<LayerAnalysis, 'file' | 'durationMs'>> {
  const { tf } = runtime;
  const notes = [...topology.notes];
  let model: TF.LayersModel | undefined;
  let builtLayers = topology.builtLayers;
  if (topology.config && summary.parameters > MAX_BUILD_PARAMETERS) {
    notes.push(`${summary.parameters.toLocaleString('en-US')} parameters is above the ${MAX_BUILD_PARAMETERS.toLocaleString('en-US')} DL Doctor lets TensorFlow.js allocate; the numbers are the static ones`);
  } else if (topology.config) {
    try {
      model = await tf.models.modelFromJSON(topology.config as Parameters<typeof tf.models.modelFromJSON>[0]);
    } catch (error) {
      notes.push(`TensorFlow.js could not build the model (${message(error)}); the numbers are the static ones`);
    }
  }
  if (!model) builtLayers = 0;

  const storedByName = new Map(topology.layers.map((layer, i) => [layer.name, stored[i]]));
  const rows: LayerRow[] = [];
  const unknownMacs: string[] = [];
  for (const layer of model?.layers ?? []) {
    const row = tfjsRow(layer, topology.extraParameters[layer.name] ?? 0);
    const inFile = storedByName.get(layer.name) ?? 0;
    if (inFile > 0 && inFile !== row.parameters) {
      notes.push(`'${layer.name}': the file holds ${inFile.toLocaleString('en-US')} weight values, the config builds ${row.parameters.toLocaleString('en-US')}`);
    }
    if (row.macs === undefined) unknownMacs.push(`'${layer.name}' (${hasFreeDimension(layer) ? 'an input dimension other than the batch is unknown' : `no MAC formula for ${row.className}`})`);
    rows.push(row);
  }
  topology.layers.slice(builtLayers).forEach((layer, i) => {
    rows.push({ name: layer.name, className: layer.className, parameters: stored[builtLayers + i], source: 'static' });
  });
  if (unknownMacs.length) notes.push(`MACs unknown for ${unknownMacs.join(', ')}`);

  const built = rows.filter((r) => r.source === 'tfjs');
  const inference = model ? forwardPass(tf, model, built) : undefined;
  if (inference?.note) notes.push(inference.note);
  model?.dispose();
  return {
    backend: runtime.backend,
    backendsSkipped: runtime.skipped,
    inputShapes: model ? model.inputs.map((input) => [...input.shape]) : [],
    layers: rows,
    ...(built.length ? { totalMacs: built.reduce((sum, r) => sum + (r.macs ?? 0), 0) } : {}),
    macsComplete: rows.every((r) => r.macs !== undefined),
    parameters: rows.reduce((sum, r) => sum + r.parameters, 0),
    ...(rows.every((r) => r.trainableParameters !== undefined) ? { trainableParameters: rows.reduce((sum, r) => sum + (r.trainableParameters ?? 0), 0) } : {}),
    ...(inference?.ms !== undefined ? { inferenceMs: inference.ms } : {}),
    unsupported: topology.unsupported,
    notes,
  };
}

function tfjsRow(layer: Layer, extraParameters: number): LayerRow {
  const trainable = layer.trainableWeights.reduce((sum, w) => sum + w.shape.reduce((a: number, b) => a * (b ?? 0), 1), 0);
  const macs = layerMacs(layer);
  return {
    name: layer.name,
    className: layer.getClassName(),
    outputShape: outputShape(layer),
    parameters: layer.countParams() + extraParameters,
    trainableParameters: trainable + (layer.trainable ? extraParameters : 0),
    ...(macs !== undefined ? { macs } : {}),
    source: 'tfjs',
  };
}

/** MACs of every call of the layer in the model; a nested model counts its own layers once per call. */
function layerMacs(layer: Layer, depth = 0): number | undefined {
  const nested = (layer as Partial<TF.LayersModel>).layers;
  if (Array.isArray(nested) && depth < 32) {
    let inner = 0;
    for (const child of nested) {
      const macs = layerMacs(child, depth + 1);
      if (macs === undefined) return undefined;
      inner += macs;
    }
    return inner * Math.max(1, layer.inboundNodes.length - 1);
  }
  let total = 0;
  for (const node of layer.inboundNodes) {
    const macs = layerCallMacs(layer.getClassName(), layer.getConfig(), shapeList(node.inputShapes), shapeList(node.outputShapes));
    if (macs === undefined) return undefined;
    total += macs;
  }
  return total;
}

function outputShape(layer: Layer): Shape | Shape[] {
  try {
    return copyShapes(layer.outputShape);
  } catch {
    // A layer called on inputs of different shapes has no single output shape: give its first call's.
    return copyShapes(layer.inboundNodes[0]?.outputShapes ?? []);
  }
}

function hasFreeDimension(layer: Layer): boolean {
  return layer.inboundNodes.some((node) => shapeList(node.inputShapes).some((shape) => shape.slice(1).some((d) => d === null)));
}

function shapeList(shapes: Shape | Shape[]): Shape[] {
  return Array.isArray(shapes[0]) ? (shapes as Shape[]) : [shapes as Shape];
}

function copyShapes(shapes: Shape | Shape[]): Shape | Shape[] {
  return Array.isArray(shapes[0]) ? (shapes as Shape[]).map((s) => [...s]) : [...(shapes as Shape)];
}

/**
 * One sample through the built model (zero weights, zero input): proves the backend runs the layers
 * and checks the output shapes TensorFlow.js predicted; timed after a warm-up call, which compiles kernels.
 */
function forwardPass(tf: typeof TF, model: TF.LayersModel, rows: LayerRow[]): { ms?: number; note?: string } {
  const macs = rows.reduce((sum, r) => sum + (r.macs ?? 0), 0);
  if (!rows.every((r) => r.macs !== undefined) || macs > MAX_FORWARD_MACS) return { note: 'no timed forward pass: the MACs per sample are unknown or above 200 million' };
  const shapes = model.inputs.map((input) => input.shape.map((d, i) => (i === 0 ? 1 : d)));
  if (shapes.some((shape) => shape.some((d) => d === null))) return { note: 'no timed forward pass: an input dimension other than the batch is unknown' };
  try {
    const inputs = model.inputs.map((input, i) => tf.zeros(shapes[i] as number[], input.dtype));
    const run = () => {
      const out = model.predict(inputs.length === 1 ? inputs[0] : inputs) as TF.Tensor | TF.Tensor[];
      const outs = Array.isArray(out) ? out : [out];
      for (const o of outs) o.dataSync();
      return outs;
    };
    tf.dispose(run());
    const start = performance.now();
    const outs = run();
    const ms = Math.round((performance.now() - start) * 100) / 100;
    const expected = model.outputs.map((o) => o.shape.slice(1).join('×'));
    const actual = outs.map((o) => o.shape.slice(1).join('×'));
    tf.dispose([...inputs, ...outs]);
    return actual.join() === expected.join() ? { ms } : { ms, note: `the forward pass produced outputs of ${actual.join(', ')} where the model declares ${expected.join(', ')}` };
  } catch (error) {
    return { note: `the forward pass failed on this backend: ${message(error)}` };
  }
}

/** What this TensorFlow.js build can deserialise: layer classes and activation names from its registry. */
function vocabulary(tf: typeof TF): TfjsVocabulary {
  const registry = tf.serialization.SerializationMap.getMap().classNameMap as Record<string, [new (...args: never[]) => object, unknown]>;
  const isLayer = (name: string) => Object.hasOwn(registry, name) && registry[name][0].prototype instanceof tf.layers.Layer;
  return {
    isLayerClass: isLayer,
    isActivation: (name) => Object.hasOwn(registry, name) && /^[a-z]/.test(name) && !isLayer(name),
  };
}

function message(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}
