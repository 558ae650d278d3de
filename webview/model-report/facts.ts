import type { ModelReport } from '../../src/protocol/model-report';
import { h } from '../shared/dom';
import { bytes, count, gigabytes, percent } from '../shared/format';

const FORMATS: Record<string, string> = {
  'pytorch-zip': 'PyTorch (zip archive)',
  'pytorch-legacy': 'PyTorch (legacy format)',
  pickle: 'Python pickle',
  safetensors: 'safetensors',
  gguf: 'GGUF',
  onnx: 'ONNX',
  'keras-h5': 'Keras (HDF5)',
  keras: 'Keras 3 (.keras)',
  tfjs: 'TensorFlow.js Layers',
};

const KERAS_FORMATS = new Set(['keras', 'keras-h5', 'tfjs']);

const KINDS: Record<string, string> = { state_dict: 'weights only (state dict)', module: 'model with its architecture', checkpoint: 'training checkpoint', other: 'other pickled data' };

/** The facts at the top of the report: what the file is, how big the model is, what training it costs. */
export function facts(report: ModelReport): HTMLElement {
  const { summary } = report;
  const rows: [string, string | Node, string?][] = [
    ['Format', FORMATS[summary.format] ?? summary.format],
    ['Content', KINDS[summary.kind] ?? summary.kind],
  ];
  if (summary.keras?.version) rows.push(['Saved by', `Keras ${summary.keras.version}${summary.keras.modelClass ? ` (${summary.keras.modelClass})` : ''}`]);
  if (summary.onnx?.opset) rows.push(['Opset', summary.onnx.opset]);
  if (KERAS_FORMATS.has(summary.format) && report.statistics > 0) {
    // Keras counts BatchNorm's moving statistics as non-trainable parameters (model.summary() prints both).
    rows.push(['Parameters', `${count(summary.parameters)} (trainable ${count(report.trainable)}, non-trainable ${count(report.statistics)})`]);
  } else {
    rows.push(['Parameters', count(summary.parameters), 'Weights and biases, as the framework counts them']);
    if (report.statistics > 0) rows.push(['Buffers', `${count(report.statistics)} (BatchNorm running statistics: updated, not trained, not counted as parameters)`]);
  }
  rows.push(['Tensors', count(summary.tensors.length)]);
  rows.push(['Size on disk', `${bytes(summary.sizeBytes)} (${count(summary.sizeBytes)} bytes)`]);
  const dtypes = dtypeBreakdown(summary.dtypes);
  if (dtypes) rows.push(['Parameters by dtype', dtypes]);
  if (summary.optimizerValues > 0) rows.push(['Optimizer state', `${count(summary.optimizerValues)} values`]);
  if (summary.epoch !== undefined) rows.push(['Epoch', String(summary.epoch)]);
  if (summary.parameters > 0) {
    rows.push([
      'Training memory',
      `≈${gigabytes(report.trainingMemory.adamBytes)} with Adam/AdamW, ≈${gigabytes(report.trainingMemory.sgdMomentumBytes)} with SGD+momentum`,
      'fp32 weights, gradients and optimizer state (16 and 12 bytes per parameter); activations come on top',
    ]);
  }
  if (summary.onnx) {
    rows.push(['Inputs → outputs', `${summary.onnx.inputs.join(', ') || '—'} → ${summary.onnx.outputs.join(', ') || '—'}`]);
    const ops = Object.entries(summary.onnx.ops).sort(([, a], [, b]) => b - a);
    rows.push(['Operators', ops.map(([op, n]) => `${op} × ${n}`).join(', ') || '—']);
  }
  rows.push(['Weight statistics', weightStatsNote(report)]);
  return h('dl', { class: 'facts' }, ...rows.flatMap(([term, value, title]) => [h('dt', {}, term), h('dd', { title }, value)]));
}

function dtypeBreakdown(dtypes: Record<string, number>): HTMLElement | undefined {
  const entries = Object.entries(dtypes).sort(([, a], [, b]) => b - a);
  const total = entries.reduce((n, [, v]) => n + v, 0);
  if (total === 0) return undefined;
  const bar = h('span', { class: 'dtype-bar', role: 'img', 'aria-label': entries.map(([d, n]) => `${d} ${percent(n / total)}`).join(', ') });
  entries.forEach(([, n], i) => {
    const part = h('span', { class: `dtype-part dtype-${i % 4}` });
    part.style.width = `${(100 * n) / total}%`;
    bar.appendChild(part);
  });
  return h('span', {}, bar, entries.map(([d, n]) => `${d}: ${count(n)} (${percent(n / total)})`).join(' · '));
}

function weightStatsNote(report: ModelReport): string {
  const stats = report.summary.stats;
  if (!stats) return 'not computed for this format';
  const read = Object.keys(stats.tensors).length;
  if (stats.error) return `stopped: ${stats.error}`;
  const note = `${count(read)} tensors read (${bytes(stats.bytesRead)})`;
  return stats.partial ? `${note}; the time and size budget ran out before the rest` : note;
}
