import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { ModelReport, ModuleNode, ReportHostMessage, ReportViewMessage } from '../../src/protocol/model-report';
import { custom, h } from '../shared/dom';
import { count } from '../shared/format';
import { connectToHost } from '../shared/vscode-api';
import { facts } from './facts';
import { findingsList } from './findings';
import { LayersSection } from './layers';
import { ModuleTree } from './module-tree';
import { filterRows, tensorRows } from './tensor-rows';
import { TensorTable, type TableSort } from './tensor-table';

/** What the page keeps across reloads (VS Code drops hidden webviews' pages). */
interface PageState {
  filter: string;
  module: string;
  sort: TableSort;
}

const host = connectToHost<ReportViewMessage, PageState>();
const root = document.getElementById('root')!;
/** What the page shows now: the counts it reports to the host after each render. */
let current: { tensorRows: () => number; modules: number; findings: number; layers?: LayersSection } | undefined;

window.addEventListener('message', (event: MessageEvent<ReportHostMessage>) => {
  const message = event.data;
  switch (message.type) {
    case 'loading':
      show(h('div', { class: 'status' }, custom('vscode-progress-ring'), h('span', {}, `Reading ${message.name}…`)), true);
      return;
    case 'failed':
      show(h('div', { class: 'status error', role: 'alert' }, h('h1', {}, message.name), h('p', {}, message.message), retryButton()));
      return;
    case 'report':
      if ('report' in message.result) renderReport(message.name, message.result.report);
      else renderUnreadable(message.name, message.result.error, message.result.findings);
      return;
    case 'layersRunning':
      current?.layers?.running();
      return;
    case 'layers': {
      const started = performance.now();
      current?.layers?.show(message.result);
      reportRendered(started);
      return;
    }
  }
});
host.post({ type: 'ready' });

function show(content: HTMLElement, busy = false): void {
  root.replaceChildren(content);
  root.setAttribute('aria-busy', String(busy));
}

function retryButton(): HTMLElement {
  const button = custom('vscode-button', {}, 'Read again');
  button.addEventListener('click', () => host.post({ type: 'refresh' }));
  return button;
}

const explain = (rule: string) => host.post({ type: 'explainRule', rule });

function title(name: string): HTMLElement {
  const refresh = custom('vscode-button', { secondary: true, icon: 'refresh', title: 'Read the file again' }, 'Refresh');
  refresh.addEventListener('click', () => host.post({ type: 'refresh' }));
  return h('header', { class: 'title' }, h('h1', {}, name), refresh);
}

function renderUnreadable(name: string, error: string, findings: Parameters<typeof findingsList>[0]): void {
  const started = performance.now();
  show(
    h(
      'div',
      { class: 'report' },
      title(name),
      h('p', { class: 'unreadable', role: 'alert' }, `This file could not be read: ${error}`),
      h('h2', {}, `Findings (${findings.length})`),
      findingsList(findings, explain),
    ),
  );
  current = { tensorRows: () => 0, modules: 0, findings: findings.length };
  reportRendered(started);
}

function reportRendered(started: number): void {
  if (!current) return;
  const { tensorRows, modules, findings, layers } = current;
  host.post({ type: 'rendered', tensorRows: tensorRows(), modules, findings, layerRows: layers?.rowCount ?? 0, renderMs: performance.now() - started });
}

function renderReport(name: string, report: ModelReport): void {
  const started = performance.now();
  const saved = host.state();
  const rows = tensorRows(report);
  const table = new TensorTable(saved.sort ?? { column: 'name', descending: false }, (sort) => host.saveState({ sort }));
  let module = saved.module ?? '';
  const filter = custom<HTMLInputElement>('vscode-textfield', { placeholder: 'Filter tensors by name, dtype or role', 'aria-label': 'Filter tensors', value: saved.filter ?? '' });
  const scope = h('span', { class: 'scope' });
  const shown = h('span', { class: 'shown', 'aria-live': 'polite' });
  const update = () => {
    table.setRows(filterRows(rows, filter.value ?? '', module || undefined));
    scope.textContent = module ? `in ${module}` : '';
    shown.textContent = `${count(table.rowCount)} of ${count(rows.length)} tensors`;
  };
  filter.addEventListener('input', () => {
    host.saveState({ filter: filter.value });
    update();
  });
  const tree = new ModuleTree(report.tree, (node: ModuleNode) => {
    module = node.path;
    host.saveState({ module });
    update();
  });
  const layers = ['keras', 'keras-h5', 'tfjs'].includes(report.summary.format)
    ? new LayersSection(report, () => host.post({ type: 'analyzeLayers' }), () => host.post({ type: 'cancelLayers' }))
    : undefined;
  show(
    h(
      'div',
      { class: 'report' },
      title(name),
      facts(report),
      h('h2', {}, `Findings (${report.findings.length})`),
      findingsList(report.findings, explain),
      layers?.element,
      h('h2', {}, 'Modules and tensors'),
      h(
        'div',
        { class: 'structure' },
        h('section', { class: 'modules', 'aria-label': 'Modules' }, tree.element),
        h('section', { class: 'tensors', 'aria-label': 'Tensors' }, h('div', { class: 'toolbar' }, filter, scope, shown), table.element),
      ),
    ),
  );
  update();
  current = { tensorRows: () => table.rowCount, modules: tree.itemCount, findings: report.findings.length, layers };
  reportRendered(started);
}
