import type { ModelReport } from '../../src/protocol/model-report';
import { h } from '../shared/dom';

/** Keras and TensorFlow.js files record their layers; the list shows them in model order. */
export function layerList(report: ModelReport): HTMLElement | undefined {
  const layers = report.summary.keras?.layers;
  if (!layers?.length) return undefined;
  return h(
    'table',
    { class: 'layers', 'aria-label': 'Layers' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '#'), h('th', { scope: 'col' }, 'Layer'), h('th', { scope: 'col' }, 'Class'))),
    h('tbody', {}, ...layers.map((layer, i) => h('tr', {}, h('td', { class: 'numeric' }, i + 1), h('td', {}, layer.name), h('td', {}, layer.className)))),
  );
}
