import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { modelReport } from '../../src/engine/models/report/model-report';
import { analyzeLayers } from '../../src/engine/tf/analyze-layers';
import type { ReportHostMessage } from '../../src/protocol/model-report';
import { engine, FIXTURES } from '../support/engine';
import { openWebview, type WebviewPage } from './page-harness';

/** A safetensors file laid out per the format (8-byte header length, JSON header, data): `count` small tensors. */
function writeManyTensors(file: string, count: number): void {
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (let i = 0; i < count; i++) {
    const layer = Math.floor(i / 10);
    const size = 4 * (i % 7 + 1);
    header[`model.layers.${layer}.proj_${i % 10}.weight`] = { dtype: 'F32', shape: [i % 7 + 1], data_offsets: [offset, offset + size] };
    offset += size;
  }
  const json = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  fs.writeFileSync(file, Buffer.concat([length, json, Buffer.alloc(offset)]));
}

async function reportMessage(file: string): Promise<ReportHostMessage> {
  const result = await (await engine()).checkModelFile(file);
  assert.ok(result);
  return { type: 'report', name: path.basename(file), result: modelReport(result) };
}

const rendered = async (view: WebviewPage) => (await view.posted()).filter((m) => m.type === 'rendered');
const cellTexts = (view: WebviewPage, column: string) =>
  view.page.$$eval(`.grid-spacer .grid-row:not([hidden]) .col-${column}`, (cells) =>
    cells
      .map((c) => ({ top: new DOMMatrix(getComputedStyle(c.parentElement!).transform).m42, text: c.textContent ?? '' }))
      .sort((a, b) => a.top - b.top)
      .map((c) => c.text),
  );

describe('Model Report page in Chromium', () => {
  let view: WebviewPage;
  let dir: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dl-doctor-report-'));
    view = await openWebview('model-report', 'model-report.css');
  });
  after(async () => {
    await view?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('says ready first, then shows the loading state', async () => {
    assert.deepEqual((await view.posted())[0], { type: 'ready' });
    await view.send({ type: 'loading', name: 'checkpoints/last.ckpt' });
    assert.equal(await view.page.textContent('.status'), 'Reading checkpoints/last.ckpt…');
  });

  it('shows a training checkpoint: facts, modules, and every tensor with its statistics', async () => {
    await view.send(await reportMessage(path.join(FIXTURES, 'models/pytorch/lightning.ckpt')));
    await view.page.waitForSelector('.facts');
    const facts = await view.page.$$eval('.facts dt, .facts dd', (cells) => cells.map((c) => c.textContent));
    const fact = (term: string) => facts[facts.indexOf(term) + 1];
    assert.equal(fact('Format'), 'PyTorch (zip archive)');
    assert.equal(fact('Content'), 'training checkpoint');
    assert.equal(fact('Parameters'), '1,498');
    assert.equal(fact('Buffers'), '8 (BatchNorm running statistics: updated, not trained, not counted as parameters)');
    assert.equal(fact('Optimizer state'), '2,996 values');
    assert.equal(fact('Training memory'), '≈24.0 KB with Adam/AdamW, ≈18.0 KB with SGD+momentum');
    assert.equal(await view.page.textContent('.no-findings'), 'No findings: nothing unsafe, broken or unusually costly was found in this file.');
    assert.deepEqual(await cellTexts(view, 'name'), [
      'state_dict.model.bn.bias',
      'state_dict.model.bn.num_batches_tracked',
      'state_dict.model.bn.running_mean',
      'state_dict.model.bn.running_var',
      'state_dict.model.bn.weight',
      'state_dict.model.conv.bias',
      'state_dict.model.conv.weight',
      'state_dict.model.fc.bias',
      'state_dict.model.fc.weight',
    ]);
    assert.deepEqual(await cellTexts(view, 'role'), ['parameter', 'integer', 'statistic', 'statistic', 'parameter', 'parameter', 'parameter', 'parameter', 'parameter']);
    assert.equal((await cellTexts(view, 'std')).filter((t) => t !== '—').length, 8, 'statistics for every floating-point tensor');
    // The single chain state_dict → model shows as one tree item, as VS Code compacts folders.
    const modules = await view.page.$$eval('vscode-tree-item:not([data-placeholder])', (items) => items.map((i) => i.firstChild?.textContent));
    assert.deepEqual(modules, ['All tensors', 'state_dict.model']);
    const [last] = (await rendered(view)).slice(-1);
    assert.deepEqual([last.tensorRows, last.findings], [9, 0]);
  });

  it('sorts by a column from its header and filters by name', async () => {
    await view.page.click('.grid-header .col-numel button');
    assert.equal(await view.page.getAttribute('.grid-header .col-numel', 'aria-sort'), 'descending');
    assert.deepEqual((await cellTexts(view, 'numel')).slice(0, 3), ['1,440', '36', '10']);
    await view.page.fill('vscode-textfield >> input', 'fc');
    await view.page.waitForFunction(() => document.querySelector('.shown')?.textContent === '2 of 9 tensors');
    assert.deepEqual(await cellTexts(view, 'name'), ['state_dict.model.fc.weight', 'state_dict.model.fc.bias']);
    await view.page.fill('vscode-textfield >> input', '');
  });

  it('lists findings with their rule and asks the host to explain one', async () => {
    await view.send(await reportMessage(path.join(FIXTURES, 'models/pytorch/nan_weights.pt')));
    await view.page.waitForSelector('.finding');
    assert.match((await view.page.textContent('.finding-title')) ?? '', /^weights-nan-inf · /);
    await view.page.click('.finding vscode-button');
    assert.deepEqual((await view.posted()).slice(-1)[0], { type: 'explainRule', rule: 'weights-nan-inf' });
    assert.ok((await view.page.$$('.grid-row.nonfinite')).length >= 1, 'the tensor with NaN values is marked');
  });

  it('renders 10,000 tensors with only the visible rows in the page, and the keyboard moves through them', async () => {
    const file = path.join(dir, 'many.safetensors');
    writeManyTensors(file, 10_000);
    await view.send(await reportMessage(file));
    await view.page.waitForFunction(() => document.querySelector('.shown')?.textContent === '10,000 of 10,000 tensors');
    const domRows = await view.page.$$eval('.grid-spacer .grid-row', (rows) => rows.length);
    // The sort chosen earlier (elements, descending) is kept; sort by name again.
    await view.page.click('.grid-header .col-name button');
    assert.equal(await view.page.getAttribute('.grid-header .col-name', 'aria-sort'), 'ascending');
    assert.ok(domRows < 120, `${domRows} row elements for 10,000 tensors`);
    await view.page.focus('.grid-viewport');
    await view.page.keyboard.press('End');
    const active = await view.page.getAttribute('.grid-viewport', 'aria-activedescendant');
    assert.equal(active, 'tensor-row-9999');
    assert.equal(await view.page.textContent(`#${active} .col-name`), 'model.layers.999.proj_9.weight');
    // Natural sort: layers.2 before layers.10 (the names as a person reads them).
    await view.page.keyboard.press('Home');
    assert.equal(await view.page.textContent('#tensor-row-20 .col-name'), 'model.layers.2.proj_0.weight');
  });

  it('narrows the table to a module picked in the tree', async () => {
    await view.page.click('vscode-tree-item[data-module="model.layers"]');
    await view.page.waitForSelector('vscode-tree-item[data-module="model.layers.999"]', { state: 'attached' });
    await view.page.click('vscode-tree-item[data-module="model.layers.7"]');
    await view.page.waitForFunction(() => document.querySelector('.shown')?.textContent === '10 of 10,000 tensors');
    assert.equal(await view.page.textContent('.scope'), 'in model.layers.7');
  });

  it('lists a Keras model\'s layers, then their output shapes and MACs once TensorFlow.js has built it', async () => {
    const file = path.join(FIXTURES, 'models/keras/churn-ann-keras.h5');
    await view.send(await reportMessage(file));
    await view.page.waitForSelector('.layers-section');
    const staticRows = await view.page.$$eval('.layers-section tbody tr', (rows) => rows.map((r) => [...r.children].map((c) => c.textContent)));
    assert.deepEqual(staticRows.map((r) => r[2]), ['InputLayer', 'Dense', 'Dense', 'Dense']);
    await view.send({ type: 'layersRunning' });
    assert.match((await view.page.textContent('.layers-section .status')) ?? '', /^Building the model with TensorFlow\.js/);
    await view.page.click('.layers-section .status vscode-button');
    assert.deepEqual((await view.posted()).slice(-1)[0], { type: 'cancelLayers' });
    await view.send({ type: 'layers', result: await analyzeLayers(file) });
    const rows = await view.page.$$eval('.layers-section tbody tr', (trs) => trs.map((r) => [...r.children].map((c) => c.textContent)));
    // Dense 12 → 64 → 32 → 1 (the real Keras 3.9 file): MACs per sample are inputs × units.
    assert.deepEqual(
      rows.map((r) => r.slice(3)),
      [
        ['(None, 12)', '0', '0', '0'],
        ['(None, 64)', '832', '832', '768'],
        ['(None, 32)', '2,080', '2,080', '2,048'],
        ['(None, 1)', '33', '33', '32'],
      ],
    );
    assert.equal(await view.page.textContent('.layers-section tfoot'), 'Total2,9452,9452,848');
    assert.match((await view.page.textContent('.layers-note')) ?? '', /^Built by TensorFlow\.js on the (WebAssembly|pure JavaScript \(cpu\)|tfjs-node \(native TensorFlow\)) backend in \d+\.\d s · input \(None, 12\) · 2,848 MACs per sample/);
    const [last] = (await rendered(view)).slice(-1);
    assert.equal(last.layerRows, 4);
  });

  it('shows why a file cannot be read', async () => {
    const file = path.join(dir, 'download.pt');
    fs.writeFileSync(file, '');
    await view.send(await reportMessage(file));
    await view.page.waitForSelector('.unreadable');
    assert.match((await view.page.textContent('.unreadable')) ?? '', /^This file could not be read: /);
    assert.deepEqual(view.problems, []);
  });
});
