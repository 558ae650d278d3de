import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import type { LayerAnalysis, LayerAnalysisResult, Shape } from '../../src/protocol/model-layers';
import type { ModelReport } from '../../src/protocol/model-report';
import { custom, h } from '../shared/dom';
import { count, shortCount } from '../shared/format';

const BACKENDS: Record<string, string> = { tensorflow: 'tfjs-node (native TensorFlow)', wasm: 'WebAssembly', cpu: 'pure JavaScript (cpu)' };

/**
 * The Layers section of Keras and TF.js Layers models: the layer list the file records, then, once
 * TensorFlow.js has built the model in the server's worker, each layer's output shape, parameters
 * and multiply-accumulates per sample, with the backend that ran.
 */
export class LayersSection {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private rows = 0;

  constructor(
    private readonly report: ModelReport,
    private readonly analyze: () => void,
    private readonly cancel: () => void,
  ) {
    this.body = h('div', { class: 'layers-body' });
    this.element = h('section', { class: 'layers-section', 'aria-label': 'Layers' }, h('h2', {}, 'Layers'), this.body);
    this.showStatic();
  }

  /** Layer rows on screen. */
  get rowCount(): number {
    return this.rows;
  }

  running(): void {
    const stop = custom('vscode-button', { secondary: true }, 'Stop');
    stop.addEventListener('click', () => this.cancel());
    const status = h('div', { class: 'status', role: 'status' }, custom('vscode-progress-ring'), h('span', {}, 'Building the model with TensorFlow.js for output shapes and MACs…'), stop);
    this.body.replaceChildren(status, ...this.staticTable());
  }

  show(result: LayerAnalysisResult): void {
    if (!result.ok) {
      const again = custom('vscode-button', { secondary: true }, 'Try again');
      again.addEventListener('click', () => this.analyze());
      const retry = result.error.kind !== 'no-topology' && result.error.kind !== 'unreadable';
      this.body.replaceChildren(h('p', { class: 'layers-note' }, `Output shapes and MACs are not available: ${result.error.message}`, ' ', retry && again), ...this.staticTable());
      return;
    }
    this.body.replaceChildren(...analysed(result.analysis));
    this.rows = result.analysis.layers.length;
  }

  private showStatic(): void {
    this.body.replaceChildren(...this.staticTable());
  }

  private staticTable(): HTMLElement[] {
    const layers = this.report.summary.keras?.layers ?? [];
    this.rows = layers.length;
    if (layers.length === 0) return [];
    return [
      h(
        'table',
        { class: 'layers', 'aria-label': 'Layers recorded in the file' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col', class: 'numeric' }, '#'), h('th', { scope: 'col' }, 'Layer'), h('th', { scope: 'col' }, 'Class'))),
        h('tbody', {}, ...layers.map((layer, i) => h('tr', {}, h('td', { class: 'numeric' }, i + 1), h('td', {}, layer.name), h('td', {}, layer.className)))),
      ),
    ];
  }
}

function analysed(analysis: LayerAnalysis): HTMLElement[] {
  const facts = [
    `Built by TensorFlow.js on the ${BACKENDS[analysis.backend] ?? analysis.backend} backend in ${(analysis.durationMs / 1000).toFixed(1)} s`,
    analysis.inputShapes.length ? `input ${analysis.inputShapes.map(shapeText).join(', ')}` : undefined,
    analysis.totalMacs !== undefined ? `${analysis.macsComplete ? '' : 'at least '}${shortCount(analysis.totalMacs)} MACs per sample` : undefined,
    analysis.inferenceMs !== undefined ? `one forward pass of one sample ${analysis.inferenceMs.toFixed(2)} ms` : undefined,
  ].filter(Boolean);
  const header = ['#', 'Layer', 'Class', 'Output shape', 'Parameters', 'Trainable', 'MACs per sample'];
  const numeric = new Set([0, 4, 5, 6]);
  const table = h(
    'table',
    { class: 'layers', 'aria-label': 'Layers with output shapes, parameters and multiply-accumulates' },
    h('thead', {}, h('tr', {}, ...header.map((title, i) => h('th', { scope: 'col', class: numeric.has(i) ? 'numeric' : undefined }, title)))),
    h(
      'tbody',
      {},
      ...analysis.layers.map((layer, i) =>
        h(
          'tr',
          { class: layer.source === 'static' ? 'static' : undefined, title: layer.source === 'static' ? 'Not built by TensorFlow.js: the parameters are read from the file' : undefined },
          h('td', { class: 'numeric' }, i + 1),
          h('td', {}, layer.name),
          h('td', {}, layer.className),
          h('td', { class: 'shape' }, layer.outputShape ? outputText(layer.outputShape) : '—'),
          h('td', { class: 'numeric' }, count(layer.parameters)),
          h('td', { class: 'numeric' }, layer.trainableParameters === undefined ? '—' : count(layer.trainableParameters)),
          h('td', { class: 'numeric' }, layer.macs === undefined ? '—' : count(layer.macs)),
        ),
      ),
    ),
    h(
      'tfoot',
      {},
      h(
        'tr',
        {},
        h('td', {}),
        h('th', { scope: 'row', colspan: 3 }, 'Total'),
        h('td', { class: 'numeric' }, count(analysis.parameters)),
        h('td', { class: 'numeric' }, analysis.trainableParameters === undefined ? '—' : count(analysis.trainableParameters)),
        h('td', { class: 'numeric' }, analysis.totalMacs === undefined ? '—' : `${analysis.macsComplete ? '' : '≥ '}${count(analysis.totalMacs)}`),
      ),
    ),
  );
  const parts: HTMLElement[] = [h('p', { class: 'layers-note' }, `${facts.join(' · ')}.`)];
  if (analysis.backendsSkipped.length) parts.push(h('p', { class: 'layers-note' }, `Faster backends not used: ${analysis.backendsSkipped.join('; ')}.`));
  parts.push(table);
  if (analysis.unsupported.length) {
    parts.push(
      h('h3', {}, 'Layers TensorFlow.js could not build'),
      h('ul', { class: 'layers-unsupported' }, ...analysis.unsupported.map((u) => h('li', {}, h('code', {}, u.layer), ` (${u.className}): ${u.reason}`))),
    );
  }
  if (analysis.notes.length) parts.push(h('h3', {}, 'Notes'), h('ul', { class: 'layers-notes' }, ...analysis.notes.map((n) => h('li', {}, n))));
  return parts;
}

function shapeText(shape: Shape): string {
  return `(${shape.map((d) => (d === null ? 'None' : String(d))).join(', ')})`;
}

function outputText(shape: Shape | Shape[]): string {
  const several = shape.length > 0 && Array.isArray(shape[0]);
  return several ? (shape as Shape[]).map(shapeText).join(', ') : shapeText(shape as Shape);
}
