import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type uPlot from 'uplot';
import type { CurvesHostMessage, CurvesViewMessage, RunCurves, RunSummary } from '../../src/protocol/learning-curves';
import { custom, h } from '../shared/dom';
import { connectToHost } from '../shared/vscode-api';
import { drawChart, markerList } from './chart';
import { metricCharts, type MetricChart } from './chart-data';
import { dataTable } from './data-table';

const host = connectToHost<CurvesViewMessage, Record<string, never>>();
const root = document.getElementById('root')!;
/** Runs listed in the picker (the most recent ones; the workspace may hold thousands). */
const MAX_LISTED = 50;
let plots: uPlot[] = [];
let last: Extract<CurvesHostMessage, { type: 'runs' }> | undefined;

window.addEventListener('message', (event: MessageEvent<CurvesHostMessage>) => {
  const message = event.data;
  if (message?.type === 'runs') render(message);
  else if (message?.type === 'failed') {
    destroyPlots();
    root.replaceChildren(h('div', { class: 'status error', role: 'alert' }, h('p', {}, message.message)));
    root.setAttribute('aria-busy', 'false');
  }
});
// Charts follow the panel's width.
let resizeTimer: number | undefined;
window.addEventListener('resize', () => {
  clearTimeout(resizeTimer);
  resizeTimer = window.setTimeout(() => last && render(last), 150);
});
host.post({ type: 'ready' });

function render(message: Extract<CurvesHostMessage, { type: 'runs' }>): void {
  last = message;
  destroyPlots();
  const shownUris = new Set(message.shown.map((r) => r.uri));
  const charts = metricCharts(message.shown);
  const page = h(
    'div',
    { class: 'curves' },
    h('header', { class: 'title' }, h('h1', {}, 'Learning Curves'), h('span', { class: 'legend-hint' }, 'solid: training · dashed: validation · ● best · ┆ divergence starts · ✕ first NaN')),
    picker(message.available, shownUris, message.maxShown),
    ...message.errors.map((e) => h('p', { class: 'error', role: 'alert' }, e)),
  );
  if (message.shown.length === 0) page.append(h('p', { class: 'empty' }, message.available.length ? 'Pick a run to draw its curves.' : 'No training logs found in this workspace (Keras CSVLogger, Lightning metrics.csv, trainer_state.json, Keras History JSON, TensorBoard events).'));
  root.replaceChildren(page);
  const width = Math.max(320, Math.min(1100, root.clientWidth - 8));
  const names = message.shown.map((r) => r.run);
  for (const chart of charts) {
    const figure = h('figure', { class: 'chart', 'aria-label': `${chart.metric} by ${chart.xLabel}: ${chart.lines.map((l) => l.label).join(', ')}` });
    page.append(figure);
    plots.push(drawChart(figure, chart, width));
    const markers = markerList(chart, names);
    if (markers) figure.append(markers);
  }
  for (const run of message.shown) page.append(findings(run));
  if (charts.length > 0) page.append(tables(charts));
  root.setAttribute('aria-busy', 'false');
  const series = charts.reduce((n, c) => n + c.lines.length, 0);
  const markers = charts.reduce((n, c) => n + c.markers.length, 0);
  host.post({ type: 'rendered', runs: message.shown.length, charts: charts.length, series, markers });
}

/** A checkbox per run (keyboard: Tab to a run, Space to show or hide it). */
function picker(available: readonly RunSummary[], shown: Set<string>, maxShown: number): HTMLElement {
  const listed = available.slice(0, MAX_LISTED);
  const boxes = listed.map((run) => {
    const box = custom<HTMLElement & { checked: boolean }>('vscode-checkbox', { label: `${run.run} (${modifiedText(run.modified)})`, checked: shown.has(run.uri), 'data-uri': run.uri });
    box.addEventListener('change', () => {
      const uris = boxes.filter((b) => b.checked).map((b) => b.getAttribute('data-uri')!);
      host.post({ type: 'select', uris: uris.slice(0, maxShown) });
    });
    return box;
  });
  return h(
    'fieldset',
    { class: 'runs' },
    h('legend', {}, `Runs (${available.length}${available.length > MAX_LISTED ? `, the ${MAX_LISTED} most recent listed` : ''}; up to ${maxShown} overlaid)`),
    ...boxes,
  );
}

function findings(run: RunCurves): HTMLElement {
  const open = custom('vscode-button', { secondary: true, icon: 'go-to-file' }, 'Open log');
  open.addEventListener('click', () => host.post({ type: 'openLog', uri: run.uri }));
  return h(
    'section',
    { class: 'run-findings' },
    h('h2', {}, run.run, ' ', open),
    run.findings.length === 0
      ? h('p', { class: 'no-findings' }, 'No findings on this run.')
      : h('ul', { class: 'findings' }, ...run.findings.map((f) => h('li', { class: `finding severity-${f.severity}` }, h('code', {}, f.rule), ' ', f.message))),
    run.thinnedTo ? h('p', { class: 'note' }, `Long series are drawn with at most ${run.thinnedTo.toLocaleString('en-US')} points each (every bucket's lowest and highest value kept).`) : null,
    ...run.warnings.map((w) => h('p', { class: 'note' }, w)),
  );
}

function tables(charts: readonly MetricChart[]): HTMLElement {
  return h('details', { class: 'data' }, h('summary', {}, 'Data tables'), ...charts.map(dataTable));
}

function modifiedText(ms: number): string {
  return ms ? new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + ' UTC' : 'time unknown';
}

function destroyPlots(): void {
  for (const plot of plots) plot.destroy();
  plots = [];
}
