import { h } from '../shared/dom';
import { alignedData, type MetricChart } from './chart-data';

/** Rows per table: the points are thinned evenly beyond it, the last row always kept. */
const MAX_ROWS = 400;

/** The numbers behind one chart, as a table (what a screen reader reads instead of the canvas). */
export function dataTable(chart: MetricChart): HTMLElement {
  const [xs, ...columns] = alignedData(chart.lines);
  const stride = Math.max(1, Math.ceil(xs.length / MAX_ROWS));
  const rows: number[] = [];
  for (let i = 0; i < xs.length; i += stride) rows.push(i);
  if (rows[rows.length - 1] !== xs.length - 1 && xs.length > 0) rows.push(xs.length - 1);
  const cell = (v: number | null) => (v === null ? '–' : String(Number(v.toPrecision(5))));
  return h(
    'table',
    { class: 'data-table' },
    h('caption', {}, `${chart.metric}${stride > 1 ? ` (every ${stride}th ${chart.xLabel})` : ''}`),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, chart.xLabel), ...chart.lines.map((l) => h('th', { scope: 'col' }, l.label)))),
    h('tbody', {}, ...rows.map((i) => h('tr', {}, h('th', { scope: 'row' }, String(xs[i])), ...columns.map((c) => h('td', {}, cell(c[i])))))),
  );
}
