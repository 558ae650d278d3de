import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { CurvesHostMessage, RunCurves } from '../../src/protocol/learning-curves';
import { runCurves } from '../../src/server/learning-curves';
import { engine, FIXTURES } from '../support/engine';
import { openWebview, type WebviewPage } from './page-harness';

const RUNS = path.join(FIXTURES, 'runs');

async function curves(relative: string): Promise<RunCurves> {
  const file = path.join(RUNS, relative);
  const result = await (await engine()).checkRunLog(file, undefined, RUNS);
  assert.ok(result);
  const built = runCurves(pathToFileURL(file).href, result);
  assert.ok(built);
  return built;
}

describe('Learning Curves page in Chromium, under the extension\'s CSP', () => {
  let view: WebviewPage;
  let overfit: RunCurves;
  let healthy: RunCurves;
  before(async () => {
    overfit = await curves('overfitting/training_log.csv');
    healthy = await curves('healthy/training_log.csv');
    view = await openWebview('learning-curves', 'learning-curves.css');
  });
  after(async () => view?.close());

  const rendered = async () => (await view.posted()).filter((m) => m.type === 'rendered');
  const send = (message: CurvesHostMessage) => view.send(message);
  const available = () => [overfit, healthy].map(({ uri, run, format, modified }) => ({ uri, run, format, modified }));

  it('draws a loss and an accuracy chart with uPlot, marks the best epoch and the divergence, without a CSP violation', async () => {
    assert.deepEqual((await view.posted())[0], { type: 'ready' });
    await send({ type: 'runs', available: available(), shown: [overfit], errors: [], maxShown: 8 });
    await view.page.waitForSelector('figure.chart canvas');
    assert.deepEqual((await rendered()).at(-1), { type: 'rendered', runs: 1, charts: 2, series: 4, markers: 2 });
    assert.deepEqual(await view.page.$$eval('figure.chart .u-title', (t) => t.map((e) => e.textContent)), ['loss', 'accuracy']);
    assert.deepEqual(await view.page.$$eval('figure.chart .markers li', (t) => t.map((e) => e.textContent)), ['best val_loss 0.4538 at epoch 3', 'divergence from epoch 6 (+242% at the end)']);
    // The canvas has pixels drawn: uPlot ran (it would not, had the CSP blocked it).
    const inked = await view.page.$eval('figure.chart canvas', (c) => {
      const canvas = c as HTMLCanvasElement;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
      return n;
    });
    assert.ok(inked > 1000, `only ${inked} pixels drawn`);
    assert.match(await view.page.textContent('.run-findings') ?? '', /val-divergence Run `overfitting\/training_log\.csv` .*val_loss was best at epoch 3/);
    assert.deepEqual(view.problems, []);
  });

  it('has the numbers as tables for screen readers', async () => {
    const loss = await view.page.$$eval('table.data-table', (tables) => tables.map((t) => [t.querySelector('caption')?.textContent, t.querySelectorAll('tbody tr').length, [...t.querySelectorAll('thead th')].map((th) => th.textContent)]));
    assert.deepEqual(loss, [
      ['loss', 60, ['epoch', 'loss', 'val_loss']],
      ['accuracy', 60, ['epoch', 'accuracy', 'val_accuracy']],
    ]);
    assert.deepEqual(await view.page.$eval('table.data-table tbody tr:nth-child(4)', (r) => [...r.children].map((c) => c.textContent)), ['3', '0.30701', '0.45379']);
  });

  it('picks runs with the keyboard: Tab to the healthy run, Space, and the page asks for both', async () => {
    const before = (await view.posted()).length;
    await view.page.focus('vscode-checkbox[data-uri$="healthy/training_log.csv"]');
    await view.page.keyboard.press('Space');
    await view.page.waitForFunction((n) => (window as unknown as { __posted: unknown[] }).__posted.length > n, before);
    const select = (await view.posted()).filter((m) => m.type === 'select').at(-1);
    assert.deepEqual(select, { type: 'select', uris: [overfit.uri, healthy.uri] });
  });

  it('overlays two runs: four lines per chart, both runs\' best points, the divergence of the overfitting one only', async () => {
    await send({ type: 'runs', available: available(), shown: [overfit, healthy], errors: [], maxShown: 8 });
    await view.page.waitForFunction(() => (window as unknown as { __posted: { type: string; runs?: number }[] }).__posted.some((m) => m.type === 'rendered' && m.runs === 2));
    const last = (await rendered()).at(-1);
    assert.equal(last?.charts, 2);
    assert.equal(last?.series, 8);
    // The healthy run's best point is marked too; only the overfitting one has a divergence.
    assert.deepEqual(await view.page.$$eval('figure.chart:first-of-type .markers li', (t) => t.map((e) => e.textContent)), [
      'overfitting/training_log.csv: best val_loss 0.4538 at epoch 3',
      'overfitting/training_log.csv: divergence from epoch 6 (+242% at the end)',
      'healthy/training_log.csv: best val_loss 0.1357 at epoch 15',
    ]);
    assert.deepEqual(view.problems, []);
  });
});
