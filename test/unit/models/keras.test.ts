import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadH5 } from '../../../src/engine/models/keras/hdf5';
import { readKeras } from '../../../src/engine/models/keras/read-keras';
import { engine, FIXTURES } from '../../support/engine';

const DIR = path.join(FIXTURES, 'models/keras');

describe('Keras model files', () => {
  it('reads the real Keras 3.9 HDF5 file: 2,945 parameters, its layers and Adam state', async () => {
    const result = await readKeras(path.join(DIR, 'churn-ann-keras.h5'));
    assert.ok(result.ok, result.ok ? '' : result.error);
    const { summary } = result;
    assert.equal(summary.format, 'keras-h5');
    assert.equal(summary.parameters, 2945);
    assert.equal(summary.optimizerValues, 2 * 2945);
    assert.equal(summary.keras?.version, '3.9.0');
    assert.equal(summary.keras?.modelClass, 'Sequential');
    assert.deepEqual(summary.keras?.layers, [
      { name: 'input_layer_4', className: 'InputLayer' },
      { name: 'dense_12', className: 'Dense' },
      { name: 'dense_13', className: 'Dense' },
      { name: 'dense_14', className: 'Dense' },
    ]);
    assert.deepEqual(summary.keras?.unsafeConfig, []);
    const checked = await (await engine()).checkModelFile(path.join(DIR, 'churn-ann-keras.h5'));
    assert.deepEqual(checked?.findings, []);
  });

  it('flags a Lambda layer in a legacy HDF5 model', async () => {
    const result = await (await engine()).checkModelFile(path.join(DIR, 'lambda_layer.h5'));
    assert.deepEqual(result?.findings.map((f) => [f.rule, f.severity]), [['keras-lambda-layer', 'error']]);
    assert.match(result!.findings[0].message, /^Lambda layer 'shift' \(marshalled Python bytecode, run on load\)\. keras\.models\.load_model would run that code/);
  });

  it('flags a .keras config entry that names a module outside Keras (the CVE-2025-1550 pattern)', async () => {
    const result = await (await engine()).checkModelFile(path.join(DIR, 'module_reference.keras'));
    assert.deepEqual(result?.findings.map((f) => f.rule), ['keras-lambda-layer']);
    assert.match(result!.findings[0].message, /^os\.system \(a module outside Keras, imported and called on load\)/);
    assert.equal(result?.model?.parameters, 12);
    assert.equal(fs.existsSync('/tmp/dl-doctor-keras-payload-ran'), false);
  });

  describe('files that are not Keras models', () => {
    let dir: string;
    before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dl-doctor-keras-'))));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('an HDF5 data set saved as .h5 is not reported as a model', async () => {
      const h5 = await loadH5();
      const file = path.join(dir, 'features.h5');
      const handle = new h5.File(file, 'w');
      handle.create_dataset({ name: 'x', data: new Float32Array([1, 2, 3, 4]), shape: [2, 2] });
      handle.close();
      assert.equal(await (await engine()).checkModelFile(file), undefined);
    });
  });
});
