import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { REPO } from '../support/engine';

const CLI = path.join(REPO, 'dist/cli.js');
// The SARIF 2.1.0 JSON schema as published by OASIS/schemastore, shipped in Microsoft's sarif-js-sdk package.
const SARIF_SCHEMA = path.join(REPO, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');

function run(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('dl-doctor CLI', () => {
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dl-doctor-cli-'));
    fs.mkdirSync(path.join(dir, 'project', 'scripts'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'project', 'train.py'), 'import torch\nfrom torch import nn\nmodel = nn.Linear(8, 2)\n');
    fs.writeFileSync(
      path.join(dir, 'project', 'seeded.py'),
      'import torch\ntorch.manual_seed(0)\ntorch.backends.cudnn.benchmark = True\nx = torch.rand(2)\n',
    );
    fs.writeFileSync(path.join(dir, 'project', 'scripts', 'clean.py'), 'import pandas as pd\ndf = pd.read_csv("x.csv")\n');
    fs.writeFileSync(path.join(dir, 'project', 'scripts', 'blob.py'), Buffer.from([0, 1, 2, 0]));
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints findings grouped by drawback and exits 1 when a warning is found', () => {
    const { code, stdout } = run(['check', 'project'], dir);
    assert.equal(code, 1);
    assert.equal(
      stdout,
      [
        'Reproducibility (2 findings)',
        '  project/seeded.py',
        '    3:1  info     cudnn-benchmark-nondeterministic  cudnn.benchmark = True picks convolution algorithms by timing, so this seeded script can still give different results run to run. Set it to False (and cudnn.deterministic = True) for reproducible runs.',
        '  project/train.py',
        '    3:9  warning  unset-seed  PyTorch randomness is never seeded (1 random call, first: nn.Linear(8, 2)): every run starts from a different state and results cannot be reproduced. Seed it once at start-up.',
        '',
        'skipped project/scripts/blob.py: file contains NUL bytes: binary, not Python source',
        '2 findings (1 warning, 1 info) in 3 files checked, 1 skipped. Run `dl-doctor explain RULE` for why and how to fix.',
        '',
      ].join('\n'),
    );
  });

  it('exits 0 when nothing reaches --fail-on, and honours --select', () => {
    assert.equal(run(['check', 'project', '--fail-on', 'error'], dir).code, 0);
    const selected = run(['check', 'project', '--select', 'cudnn-benchmark-nondeterministic', '--format', 'json', '--fail-on', 'info'], dir);
    assert.equal(selected.code, 1);
    assert.deepEqual(
      JSON.parse(selected.stdout).findings.map((f: { rule: string; file: string; line: number }) => [f.rule, f.file, f.line]),
      [['cudnn-benchmark-nondeterministic', 'project/seeded.py', 3]],
    );
    assert.equal(run(['check', 'project/scripts/clean.py'], dir).code, 0);
  });

  it('exits 2 with a message on usage and I/O errors', () => {
    const missing = run(['check', 'nope'], dir);
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, 'dl-doctor: nope: no such file or directory\n');
    const badRule = run(['check', 'project', '--select', 'no-such-rule'], dir);
    assert.equal(badRule.code, 2);
    assert.match(badRule.stderr, /unknown rule in --select: no-such-rule/);
    const badFormat = run(['check', 'project', '--format', 'xml'], dir);
    assert.equal(badFormat.code, 2);
    assert.match(badFormat.stderr, /--format must be text, json or sarif, got 'xml'/);
    assert.equal(run(['frobnicate'], dir).code, 2);
    assert.equal(run(['explain', 'no-such-rule'], dir).code, 2);
  });

  it('writes SARIF 2.1.0 that validates against the published schema', () => {
    const { code, stdout } = run(['check', 'project', '--format', 'sarif'], dir);
    assert.equal(code, 1);
    const sarif = JSON.parse(stdout);
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false }) // the schema's language pattern is not valid with the u flag;
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(fs.readFileSync(SARIF_SCHEMA, 'utf8')));
    assert.ok(validate(JSON.parse(stdout)), JSON.stringify(validate.errors, null, 2));
    const [run0] = sarif.runs;
    assert.deepEqual(
      run0.results.map((r: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[] }) => [
        r.ruleId,
        r.level,
        r.locations[0].physicalLocation.artifactLocation.uri,
        r.locations[0].physicalLocation.region.startLine,
        r.locations[0].physicalLocation.region.startColumn,
      ]),
      [
        ['cudnn-benchmark-nondeterministic', 'note', 'project/seeded.py', 3, 1],
        ['unset-seed', 'warning', 'project/train.py', 3, 9],
      ],
    );
    assert.equal(run0.tool.driver.rules.find((r: { id: string }) => r.id === 'unset-seed').defaultConfiguration.level, 'warning');
  });

  it('lists rules and explains one', () => {
    const rules = run(['rules'], dir);
    assert.equal(rules.code, 0);
    assert.match(rules.stdout, /^rule +drawback +severity +title\n/);
    assert.match(rules.stdout, /\nunset-seed +reproducibility +warning +Randomness is used but its generator is never seeded\n/);
    const explain = run(['explain', 'seed-unused'], dir);
    assert.equal(explain.code, 0);
    assert.match(explain.stdout, /^# seed-unused: A seed is declared but never applied\n/);
    assert.match(explain.stdout, /## How to fix/);
  });
});

describe('dl-doctor check on model files', () => {
  it('lists each model file with its facts in JSON and flags the unsafe ones', () => {
    const { code, stdout } = run(['check', 'test/fixtures/models', '--format', 'json'], REPO);
    assert.equal(code, 1);
    const report = JSON.parse(stdout) as { models: { file: string; format: string; kind: string; parameters: number; tensors: number; findings: string[] }[] };
    const byFile = Object.fromEntries(report.models.map((m) => [m.file, m]));
    assert.deepEqual(byFile['test/fixtures/models/pytorch/lightning.ckpt'], {
      file: 'test/fixtures/models/pytorch/lightning.ckpt',
      format: 'pytorch-zip',
      kind: 'checkpoint',
      parameters: 1498,
      tensors: 9,
      sizeBytes: fs.statSync(path.join(REPO, 'test/fixtures/models/pytorch/lightning.ckpt')).size,
      dtypes: { float32: 1498 },
      optimizerValues: 2996,
      epoch: 3,
      findings: [],
    });
    assert.deepEqual(byFile['test/fixtures/models/unsafe/os_system.pkl'].findings, ['unsafe-pickle']);
    // 9 PyTorch, 7 unsafe pickles, 2 safetensors, 1 GGUF, 4 ONNX, 6 Keras, 1 TF.js; the zip bomb is unreadable, not a model.
    assert.equal(report.models.length, 30);
    assert.ok(report.models.every((m) => !m.file.includes('zip_bomb')));
    assert.deepEqual((byFile['test/fixtures/models/onnx/net.onnx'] as unknown as { onnx: unknown }).onnx, {
      opset: '13',
      ops: { Conv: 1, Relu: 1, Flatten: 1, Gemm: 1 },
      inputs: ['image'],
      outputs: ['logits'],
    });
  });
});

describe('dl-doctor check with pyproject.toml and suppression comments', () => {
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dl-doctor-cli-config-'));
    fs.mkdirSync(path.join(dir, 'repo', 'src', 'generated'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'repo', 'pyproject.toml'),
      '[project]\nname = "repo"\n\n[tool.dl-doctor]\nexclude = ["src/generated/**"]\n\n[tool.dl-doctor.severity]\ncudnn-benchmark-nondeterministic = "error"\nseed-unused = "loud"\n',
    );
    fs.writeFileSync(path.join(dir, 'repo', 'src', 'seeded.py'), 'import torch\ntorch.manual_seed(0)\ntorch.backends.cudnn.benchmark = True\n');
    fs.writeFileSync(path.join(dir, 'repo', 'src', 'train.py'), 'import torch\nfrom torch import nn\nmodel = nn.Linear(8, 2)  # dl-doctor: ignore[unset-seed]\nx = 1  # dl-doctor: ignore[seed-unused]\n');
    fs.writeFileSync(path.join(dir, 'repo', 'src', 'generated', 'noise.py'), 'import random\nrandom.random()\n');
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('finds the pyproject.toml above the PATH, applies it, honours suppressions and reports the config problem', () => {
    const { code, stdout } = run(['check', 'src', '--format', 'json', '--fail-on', 'none'], path.join(dir, 'repo'));
    assert.equal(code, 0);
    const report = JSON.parse(stdout) as { filesChecked: number; findings: { rule: string; severity: string; file: string; line: number; message: string }[] };
    assert.equal(report.filesChecked, 2, 'src/generated is excluded by pyproject.toml');
    assert.deepEqual(
      report.findings.map((f) => [f.rule, f.severity, f.file, f.line, f.message]),
      [
        ['invalid-config', 'warning', 'pyproject.toml', 9, 'Severity of `seed-unused` must be one of "error", "warning", "info", "hint", "off"; got string "loud".'],
        ['cudnn-benchmark-nondeterministic', 'error', 'src/seeded.py', 3, 'cudnn.benchmark = True picks convolution algorithms by timing, so this seeded script can still give different results run to run. Set it to False (and cudnn.deterministic = True) for reproducible runs.'],
        ['unused-suppression', 'info', 'src/train.py', 4, '`ignore[seed-unused]` silences nothing: this line has no seed-unused finding. Remove it.'],
      ],
    );
  });

  it('lets --ignore add to the file, reports a broken one and falls back to the defaults', () => {
    const ignored = run(['check', 'src', '--format', 'json', '--ignore', 'cudnn-benchmark-nondeterministic,unused-suppression', '--fail-on', 'info'], path.join(dir, 'repo'));
    assert.deepEqual(JSON.parse(ignored.stdout).findings.map((f: { rule: string }) => f.rule), ['invalid-config']);
    assert.equal(ignored.code, 1, 'a config problem is a warning, at or above --fail-on info');
    fs.writeFileSync(path.join(dir, 'repo', 'pyproject.toml'), '[tool.dl-doctor]\nselect = ["unset-seed"\n');
    const broken = run(['check', 'src'], path.join(dir, 'repo'));
    assert.equal(broken.code, 1);
    // Nothing of the broken file applies: the excluded folder is checked again, severities are the defaults.
    assert.equal(
      broken.stdout,
      [
        'Reproducibility (2 findings)',
        '  src/generated/noise.py',
        "    2:1  warning  unset-seed  Python's random randomness is never seeded (1 random call, first: random.random()): every run starts from a different state and results cannot be reproduced. Seed it once at start-up.",
        '  src/seeded.py',
        '    3:1  info     cudnn-benchmark-nondeterministic  cudnn.benchmark = True picks convolution algorithms by timing, so this seeded script can still give different results run to run. Set it to False (and cudnn.deterministic = True) for reproducible runs.',
        '',
        'DL Doctor configuration (2 findings)',
        '  pyproject.toml',
        '    3:1  error    invalid-config  pyproject.toml is not valid TOML: expected comma or end of structure (line 3, column 1). DL Doctor uses its defaults until it is fixed.',
        '  src/train.py',
        '    4:28  info     unused-suppression  `ignore[seed-unused]` silences nothing: this line has no seed-unused finding. Remove it.',
        '',
        '4 findings (1 error, 1 warning, 2 info) in 3 files checked. Run `dl-doctor explain RULE` for why and how to fix.',
        '',
      ].join('\n'),
    );
    const badFlag = run(['check', 'src', '--ignore', 'unset-seeds'], path.join(dir, 'repo'));
    assert.equal(badFlag.code, 2);
    assert.equal(badFlag.stderr, "dl-doctor: unknown rule in --ignore: unset-seeds. Run 'dl-doctor rules' for the list.\n");
  });
});
