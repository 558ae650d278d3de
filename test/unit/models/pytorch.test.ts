import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { unpickle } from '../../../src/engine/models/pickle/unpickle';
import { readPyTorch } from '../../../src/engine/models/pytorch/read-pytorch';
import { computeWeightStats } from '../../../src/engine/models/weights/weight-stats';
import { engine, FIXTURES } from '../../support/engine';

const PYTORCH = path.join(FIXTURES, 'models/pytorch');
const UNSAFE = path.join(FIXTURES, 'models/unsafe');
// Written by test/fixtures/models/generate_pytorch.py with Debian's python3-torch 1.13.
const EXPECTED = JSON.parse(fs.readFileSync(path.join(PYTORCH, 'expected.json'), 'utf8')) as Record<
  string,
  { kind: string; parameters: number; zip: boolean; tensors?: Record<string, { shape: number[]; dtype: string }>; optimizerValues?: number; epoch?: number }
>;
/** What the unsafe fixtures' payloads would create if anything ran them. */
const MARKER = '/tmp/dl-doctor-pickle-payload-ran';

describe('PyTorch files read without executing them', () => {
  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(`${name}: ${expected.kind}, ${expected.parameters} parameters as PyTorch counts them`, async () => {
      const result = await readPyTorch(path.join(PYTORCH, name));
      assert.ok(result.ok, result.ok ? '' : result.error);
      const { summary } = result;
      assert.equal(summary.format, expected.zip ? 'pytorch-zip' : 'pytorch-legacy');
      assert.equal(summary.kind, expected.kind);
      assert.equal(summary.parameters, expected.parameters);
      if (expected.tensors) {
        assert.deepEqual(
          Object.fromEntries(summary.tensors.map((t) => [t.name, { shape: t.shape, dtype: t.dtype }])),
          Object.fromEntries(Object.entries(expected.tensors).map(([k, v]) => [k, { shape: v.shape, dtype: v.dtype === 'float' ? 'float32' : v.dtype }])),
        );
      }
      if (expected.optimizerValues !== undefined) assert.equal(summary.optimizerValues, expected.optimizerValues);
      if (expected.epoch !== undefined) assert.equal(summary.epoch, expected.epoch);
    });
  }

  it('reports no finding on ordinary state dicts and checkpoints', async () => {
    for (const name of ['state_dict.pt', 'legacy_state_dict.pt', 'half_sequential.pth', 'lightning.ckpt']) {
      const result = await (await engine()).checkModelFile(path.join(PYTORCH, name));
      assert.deepEqual(result?.findings, [], name);
    }
  });
});

describe('unsafe-pickle', () => {
  before(() => fs.rmSync(MARKER, { force: true }));

  for (const [file, shown] of [
    ['os_system.pkl', 'os.system (posix.system)'],
    ['builtins_eval.pkl', 'builtins.eval (__builtin__.eval)'],
    ['subprocess_popen.pkl', 'subprocess.Popen (commands.Popen)'],
    ['runpy_run_code.pkl', 'runpy._run_code'],
    ['timeit_timeit.pkl', 'timeit.timeit'],
    ['trojan_checkpoint.pt', 'os.system (posix.system)'],
    ['renamed_archive.pt', 'os.system (posix.system)'],
  ] as const) {
    it(`flags ${file} as an error naming ${shown}`, async () => {
      const result = await (await engine()).checkModelFile(path.join(UNSAFE, file));
      assert.deepEqual(
        result?.findings.map((f) => [f.rule, f.severity, f.range.start.line]),
        [['unsafe-pickle', 'error', 0]],
      );
      assert.ok(result!.findings[0].message.startsWith(`Loading this file imports and calls ${shown}:`), result!.findings[0].message);
    });
  }

  it('reports a fully pickled model as a warning naming its class', async () => {
    const result = await (await engine()).checkModelFile(path.join(PYTORCH, 'full_module.pt'));
    assert.deepEqual(result?.findings.map((f) => [f.rule, f.severity]), [['unsafe-pickle', 'warning']]);
    assert.match(result!.findings[0].message, /^A fully pickled model: loading it imports __main__\.TinyNet and needs torch\.load\(weights_only=False\)/);
  });

  after(() => {
    // Every payload above would have created this file had any code run.
    assert.equal(fs.existsSync(MARKER), false, 'reading the unsafe fixtures ran their payload');
  });
});

describe('malformed pickles', () => {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dl-doctor-models-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, bytes: Uint8Array) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, bytes);
    return file;
  };

  it('a pickle truncated at every byte never throws and says where it stopped', async () => {
    const whole = fs.readFileSync(path.join(PYTORCH, 'legacy_state_dict.pt'));
    for (let cut = 1; cut < 400; cut += 7) {
      const result = await readPyTorch(write('legacy-cut.pt', whole.subarray(0, cut)));
      assert.equal(result.ok, false, `cut at ${cut}`);
      if (!result.ok) assert.match(result.error, /^(truncated|stack underflow|no MARK).* \(at byte \d+\)(, in the legacy file's [\w -]+)?$/, `cut at ${cut}: ${result.error}`);
    }
  });

  it('a .bin that is neither a pickle nor a PyTorch archive is not treated as a model file', async () => {
    const result = await (await engine()).checkModelFile(write('tokenizer.bin', Buffer.from('\x0a\x05hello world')));
    assert.equal(result, undefined);
  });

  describe('legacy files after the pickles', () => {
    const whole = () => fs.readFileSync(path.join(PYTORCH, 'legacy_state_dict.pt'));
    it('a code-running pickle in place of the storage-key list is reported as unsafe', async () => {
      const payload = fs.readFileSync(path.join(UNSAFE, 'os_system.pkl'));
      // Magic number, protocol, system info and the state dict come first; the key list follows them.
      const keysStart = [1, 2, 3, 4].reduce((at) => unpickle(whole(), at).end, 0);
      const result = await (await engine()).checkModelFile(write('legacy-keys-payload.pt', Buffer.concat([whole().subarray(0, keysStart), payload])));
      assert.deepEqual(result?.findings.map((f) => f.rule).sort(), ['model-file-unreadable', 'unsafe-pickle']);
      assert.match(result!.findings.find((f) => f.rule === 'unsafe-pickle')!.message, /^Loading this file imports and calls os\.system \(posix\.system\):/);
      assert.equal(fs.existsSync(MARKER), false, 'the payload did not run');
    });
  });
});

describe('high-param-count on model files', () => {
  it('reports parameters, dtype mix, size and training memory above the configured size', async () => {
    const file = path.join(PYTORCH, 'state_dict.pt');
    const result = await (await engine()).checkModelFile(file, { thresholds: { 'high-param-count.min-parameters': 1000 } });
    assert.deepEqual(result?.findings.map((f) => [f.rule, f.severity, f.drawback]), [['high-param-count', 'info', 'cost']]);
    assert.equal(
      result!.findings[0].message,
      `1,498 parameters (float32; ${(fs.statSync(file).size / 1024).toFixed(1)} KB on disk). Training it in fp32 needs ≈24.0 KB with Adam/AdamW (16 B/parameter) or ≈18.0 KB with SGD+momentum (12 B/parameter) for weights, gradients and optimizer state, before activations. Consider mixed precision, freezing layers or a smaller model.`,
    );
    assert.deepEqual(result!.findings[0].data, { parameters: 1498, adamBytes: 23968, sgdMomentumBytes: 17976, dtypes: { float32: 1498 } });
  });

  it('stays silent below the default of 100M parameters', async () => {
    const result = await (await engine()).checkModelFile(path.join(PYTORCH, 'state_dict.pt'));
    assert.deepEqual(result?.findings, []);
  });
});

describe('weight statistics', () => {
  const statsOf = (name: string) => (EXPECTED[name] as unknown as { stats: Record<string, { min: number; max: number; mean: number; std: number }> }).stats;

  for (const name of ['state_dict.pt', 'legacy_state_dict.pt', 'legacy_checkpoint.pt']) {
    it(`match what PyTorch computes for every tensor of ${name}`, async () => {
      const read = await readPyTorch(path.join(PYTORCH, name));
      assert.ok(read.ok, read.ok ? '' : read.error);
      const stats = await computeWeightStats(read.summary);
      assert.equal(stats?.partial, false);
      const expected = statsOf(name);
      assert.deepEqual(Object.keys(stats!.tensors).sort(), Object.keys(expected).sort());
      for (const [tensor, want] of Object.entries(expected)) {
        const got = stats!.tensors[tensor];
        for (const key of ['min', 'max', 'mean', 'std'] as const) assert.ok(Math.abs(got[key] - want[key]) < 1e-6, `${tensor}.${key}: ${got[key]} vs ${want[key]}`);
      }
    });
  }

  it('read a legacy file\'s model storages only, skipping optimizer state and integer counters stored between them', async () => {
    const read = await readPyTorch(path.join(PYTORCH, 'legacy_checkpoint.pt'));
    assert.ok(read.ok);
    const stats = await computeWeightStats(read.summary);
    // 1,498 parameters plus BatchNorm's 8 running statistics, 4 bytes each; the Adam moments are not read.
    assert.equal(stats?.bytesRead, (1498 + 8) * 4);
  });

  for (const name of ['state_dict.pt', 'legacy_state_dict.pt']) {
    it(`say when the budget cut them short (${name})`, async () => {
      const read = await readPyTorch(path.join(PYTORCH, name));
      assert.ok(read.ok);
      const stats = await computeWeightStats(read.summary, { maxBytes: 0, maxMs: 1000 });
      assert.equal(stats?.partial, true);
      assert.ok(Object.keys(stats!.tensors).length < 8, 'not every tensor was read');
    });
  }

  for (const name of ['nan_weights.pt', 'legacy_nan_weights.pt']) {
    it(`weights-nan-inf counts NaN and infinite weights per tensor (${name})`, async () => {
      const result = await (await engine()).checkModelFile(path.join(PYTORCH, name));
      assert.deepEqual(result?.findings.map((f) => [f.rule, f.severity]), [['weights-nan-inf', 'error']]);
      assert.equal(
        result!.findings[0].message,
        '5 NaN and 1 infinite weights in 2 tensors: fc.weight (5 of 1440), fc.bias (1 of 10). The model outputs NaN; training probably diverged. Use an earlier checkpoint and lower the learning rate or clip gradients.',
      );
    });
  }

  it('exploding-weights names the tensor and its largest magnitude', async () => {
    const result = await (await engine()).checkModelFile(path.join(PYTORCH, 'exploding_weights.pt'));
    const maxAbs = (EXPECTED['exploding_weights.pt'] as unknown as { maxAbs: number }).maxAbs;
    assert.deepEqual(result?.findings.map((f) => [f.rule, f.severity]), [['exploding-weights', 'warning']]);
    assert.match(result!.findings[0].message, new RegExp(`^1 tensor has weights beyond ±1,000: conv\\.weight \\(max \\|w\\| ${maxAbs.toPrecision(3).replace('+', '\\+').replace('.', '\\.')}\\)`));
    const relaxed = await (await engine()).checkModelFile(path.join(PYTORCH, 'exploding_weights.pt'), { thresholds: { 'exploding-weights.max-abs': 1e6 } });
    assert.deepEqual(relaxed?.findings, []);
  });

  it('exploding-weights reads a legacy training checkpoint\'s model weights', async () => {
    const result = await (await engine()).checkModelFile(path.join(PYTORCH, 'legacy_checkpoint.pt'));
    const maxAbs = (EXPECTED['legacy_checkpoint.pt'] as unknown as { maxAbs: number }).maxAbs;
    assert.deepEqual(result?.findings.map((f) => [f.rule, f.severity]), [['exploding-weights', 'warning']]);
    assert.equal(
      result!.findings[0].message.split('. ')[0],
      `1 tensor has weights beyond ±1,000: model_state_dict.conv.weight (max |w| ${maxAbs.toPrecision(3)})`,
    );
  });
});

describe('hostile PyTorch files', () => {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dl-doctor-hostile-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a pickle nested 100,000 lists deep is read without overflowing the stack', async () => {
    const depth = 100_000;
    const bytes = Buffer.concat([Buffer.from([0x80, 0x02]), Buffer.alloc(depth, 0x5d), Buffer.alloc(depth - 1, 0x61), Buffer.from([0x2e])]);
    const file = path.join(dir, 'nested.pkl');
    fs.writeFileSync(file, bytes);
    const result = await readPyTorch(file);
    assert.ok(result.ok, result.ok ? '' : result.error);
    assert.equal(result.summary.parameters, 0);
  });
});
