import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readOnnx } from '../../../src/engine/models/onnx/read-onnx';
import { engine, FIXTURES } from '../../support/engine';

const DIR = path.join(FIXTURES, 'models/onnx');
// Exported by test/fixtures/models/generate_onnx.py with python3-torch 1.13 and python3-onnx 1.12.
const EXPECTED = JSON.parse(fs.readFileSync(path.join(DIR, 'expected.json'), 'utf8')) as Record<
  string,
  { parameters?: number; initializers?: number; ops?: Record<string, number>; opset?: number; inputs?: string[]; outputs?: string[]; escape?: string }
>;

describe('ONNX reader', () => {
  for (const name of ['net.onnx', 'net_external.onnx']) {
    it(`${name}: initializers, operators, opset and graph inputs as onnx reports them`, async () => {
      const expected = EXPECTED[name];
      const result = await readOnnx(path.join(DIR, name));
      assert.ok(result.ok, result.ok ? '' : result.error);
      const { summary } = result;
      assert.equal(summary.parameters, expected.parameters);
      assert.equal(summary.tensors.length, expected.initializers);
      assert.deepEqual(summary.onnx?.ops, expected.ops);
      assert.equal(summary.onnx?.opset, String(expected.opset));
      assert.deepEqual(summary.onnx?.inputs, expected.inputs);
      assert.deepEqual(summary.onnx?.outputs, expected.outputs);
      assert.deepEqual(summary.onnx?.externalDataEscapes, []);
    });
  }

  for (const [name, reason] of [
    ['escape_parent.onnx', 'leaves the model folder'],
    ['escape_absolute.onnx', 'absolute path'],
  ] as const) {
    it(`${name}: onnx-external-data-escape names the location, which is never read`, async () => {
      const result = await (await engine()).checkModelFile(path.join(DIR, name));
      assert.deepEqual(result?.findings.map((f) => [f.rule, f.severity]), [['onnx-external-data-escape', 'error']]);
      assert.match(result!.findings[0].message, new RegExp(`^1 initializer read external data from outside the model's folder: conv\\.weight → "${EXPECTED[name].escape!.replace(/[./]/g, '\\$&')}" \\(${reason}\\)\\.`));
    });
  }

  describe('hostile files', () => {
    let dir: string;
    before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dl-doctor-onnx-'))));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('a symbolic link to outside the folder is an escape too', async () => {
      fs.copyFileSync(path.join(DIR, 'net_external.onnx'), path.join(dir, 'net_external.onnx'));
      fs.symlinkSync('/etc/hostname', path.join(dir, 'net_external.weights'));
      const result = await (await engine()).checkModelFile(path.join(dir, 'net_external.onnx'));
      assert.deepEqual(result?.findings.map((f) => f.rule), ['onnx-external-data-escape']);
      assert.match(result!.findings[0].message, /symbolic link leading out of the model folder/);
    });
  });
});
