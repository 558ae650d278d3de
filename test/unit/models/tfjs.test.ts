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

  describe('broken manifests and shards', () => {
    let dir: string;
    before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dl-doctor-tfjs-'))));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    const variant = async (name: string, edit: (folder: string, manifest: { weightsManifest: { paths: string[] }[] }) => void) => {
      const folder = path.join(dir, name);
      fs.cpSync(path.join(DIR, 'classifier'), folder, { recursive: true });
      const manifest = JSON.parse(fs.readFileSync(path.join(folder, 'model.json'), 'utf8'));
      edit(folder, manifest);
      fs.writeFileSync(path.join(folder, 'model.json'), JSON.stringify(manifest));
      return (await engine()).checkModelFile(path.join(folder, 'model.json'));
    };
    const message = (result: Awaited<ReturnType<typeof variant>>) => {
      assert.deepEqual(result?.findings.map((f) => f.rule), ['model-file-unreadable']);
      return result!.findings[0].message;
    };

    it('a missing shard', async () => {
      assert.match(message(await variant('missing', (folder) => fs.rmSync(path.join(folder, 'group1-shard1of1.bin')))), /missing weight shard group1-shard1of1\.bin/);
    });

    it('a truncated shard', async () => {
      const result = await variant('truncated', (folder) => fs.truncateSync(path.join(folder, 'group1-shard1of1.bin'), 1000));
      assert.match(message(result), /weight shards hold 1,000 bytes but the manifest needs 1,036/);
    });

    it('a shard path that leaves the model folder', async () => {
      const result = await variant('escape', (_folder, manifest) => (manifest.weightsManifest[0].paths = ['../../etc/passwd']));
      assert.match(message(result), /weight shard "\.\.\/\.\.\/etc\/passwd" leaves the model folder/);
    });

    it('a model.json that is not a TensorFlow.js model is not reported', async () => {
      const file = path.join(dir, 'other', 'model.json');
      fs.mkdirSync(path.dirname(file));
      fs.writeFileSync(file, JSON.stringify({ name: 'my-model-config', hidden: 128 }));
      assert.equal(await (await engine()).checkModelFile(file), undefined);
    });
  });
});
