import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { engine, FIXTURES } from '../../support/engine';

const DIR = path.join(FIXTURES, 'models/tfjs');
// Saved by TensorFlow.js itself (test/fixtures/models/generate-tfjs.ts); parameters from model.countParams().
const EXPECTED = JSON.parse(fs.readFileSync(path.join(DIR, 'expected.json'), 'utf8')) as Record<string, { parameters: number; weights: number }>;

describe('TensorFlow.js model.json', () => {
  it('counts the parameters TensorFlow.js reports and checks the shards', async () => {
    const result = await (await engine()).checkModelFile(path.join(DIR, 'classifier/model.json'));
    assert.deepEqual(result?.findings, []);
    assert.equal(result?.model?.format, 'tfjs');
    assert.equal(result?.model?.parameters, EXPECTED['classifier/model.json'].parameters);
    assert.equal(result?.model?.tensors.length, EXPECTED['classifier/model.json'].weights);
  });

  describe('other files named model.json', () => {
    let dir: string;
    before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dl-doctor-tfjs-'))));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('a model.json that is not a TensorFlow.js model is not reported', async () => {
      const file = path.join(dir, 'other', 'model.json');
      fs.mkdirSync(path.dirname(file));
      fs.writeFileSync(file, JSON.stringify({ name: 'my-model-config', hidden: 128 }));
      assert.equal(await (await engine()).checkModelFile(file), undefined);
    });
  });
});
