import uPlot from 'uplot';
import { h } from '../shared/dom';
import { alignedData, type MetricChart } from './chart-data';

/** VS Code's chart colours (theme variables), one per run; the fallbacks are VS Code's dark-theme values. */
const RUN_COLORS: [string, string][] = [
  ['--vscode-charts-blue', '#3794ff'],
  ['--vscode-charts-orange', '#d18616'],
  ['--vscode-charts-green', '#89d185'],
  ['--vscode-charts-purple', '#b180d7'],
  ['--vscode-charts-red', '#f14c4c'],
  ['--vscode-charts-yellow', '#cca700'],
  ['--vscode-charts-foreground', '#cccccc'],
  ['--vscode-charts-lines', '#808080'],
];

function themeColor(variable: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(variable).trim() || fallback;
}

export function runColor(runIndex: number): string {
  const [variable, fallback] = RUN_COLORS[runIndex % RUN_COLORS.length];
  return themeColor(variable, fallback);
}

/**
 * One uPlot chart (canvas; uPlot needs neither eval nor inline styles from markup, so it runs under
 * the page's CSP): training lines solid, validation dashed, one colour per run; the best point, where
 * the divergence starts and the first NaN drawn on top.
 */
export function drawChart(container: HTMLElement, chart: MetricChart, width: number): uPlot {
  const foreground = themeColor('--vscode-foreground', '#cccccc');
  const grid = themeColor('--vscode-editorWidget-border', '#454545');
  const axis = { stroke: foreground, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
  const opts: uPlot.Options = {
    width,
    height: 260,
    title: chart.metric,
    scales: { x: { time: false } },
    axes: [
      { ...axis, label: chart.xLabel },
      { ...axis, label: chart.metric },
    ],
    series: [
      { label: chart.xLabel },
      ...chart.lines.map((line) => ({
        label: line.label,
        stroke: runColor(line.runIndex),
        width: 2,
        dash: line.split === 'validation' ? [6, 4] : line.split === 'train' ? undefined : [2, 3],
        spanGaps: true,
        points: { show: false },
      })),
    ],
    legend: { show: true, live: true },
    cursor: { drag: { x: true, y: false } },
    hooks: { draw: [(u) => drawMarkers(u, chart, foreground)] },
  };
  return new uPlot(opts, alignedData(chart.lines), container);
}

function drawMarkers(u: uPlot, chart: MetricChart, foreground: string): void {
  const ctx = u.ctx;
  const { top, height } = u.bbox;
  const ratio = window.devicePixelRatio || 1;
  ctx.save();
  for (const marker of chart.markers) {
    const x = u.valToPos(marker.step, 'x', true);
    const color = runColor(marker.runIndex);
    if (marker.kind === 'divergence') {
      ctx.strokeStyle = color;
      ctx.lineWidth = ratio;
      ctx.setLineDash([4 * ratio, 4 * ratio]);
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
      ctx.setLineDash([]);
      continue;
    }
    if (marker.value === null) continue;
    const y = u.valToPos(marker.value, 'y', true);
    ctx.lineWidth = 2 * ratio;
    ctx.strokeStyle = marker.kind === 'nan' ? themeColor('--vscode-editorError-foreground', '#f14c4c') : foreground;
    ctx.fillStyle = color;
    ctx.beginPath();
    if (marker.kind === 'best') ctx.arc(x, y, 5 * ratio, 0, 2 * Math.PI);
    else {
      const r = 6 * ratio;
      ctx.moveTo(x - r, y - r);
      ctx.lineTo(x + r, y + r);
      ctx.moveTo(x + r, y - r);
      ctx.lineTo(x - r, y + r);
    }
    if (marker.kind === 'best') ctx.fill();
    ctx.stroke();
  }
  ctx.restore();
}

/** What the markers mean, in words, under the chart (the canvas says nothing to a screen reader). */
export function markerList(chart: MetricChart, runNames: readonly string[]): HTMLElement | undefined {
  if (chart.markers.length === 0) return undefined;
  return h(
    'ul',
    { class: 'markers' },
    ...chart.markers.map((m) =>
      h('li', { class: `marker marker-${m.kind}` }, h('span', { class: `marker-swatch run-${m.runIndex % 8}`, 'aria-hidden': 'true' }), runNames.length > 1 ? `${runNames[m.runIndex]}: ${m.label}` : m.label),
    ),
  );
}
