import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { effectiveSeverity, mergeRuleConfig } from '../../src/engine/config';
import { ProjectConfigs } from '../../src/engine/project-config/project-configs';
import { parsePyproject } from '../../src/engine/project-config/pyproject';
import { ALL_RULES } from '../../src/engine/rules';
import { engine, FIXTURES, py } from '../support/engine';

const FILE = '/project/pyproject.toml';

/** Problems as [1-based line, the text the range covers, message]: what a user sees in the editor. */
function problems(text: string) {
  const config = parsePyproject(FILE, text);
  assert.ok(config, 'the file configures DL Doctor');
  const lines = text.split('\n');
  return config.problems.map((p) => [p.range.start.line + 1, lines[p.range.start.line].slice(p.range.start.character, p.range.end.character), p.message]);
}

describe('pyproject.toml [tool.dl-doctor]', () => {
  it('reads select, ignore, exclude, severities and thresholds (dotted keys and per-rule tables alike)', () => {
    const config = parsePyproject(
      FILE,
      py`
        [project]
        name = "trainer"

        [tool.dl-doctor]
        select = ["unset-seed", "seed-unused", "high-param-count"]
        ignore = ["cudnn-benchmark-nondeterministic"]
        exclude = ["data/**", "legacy/*.py"]

        [tool.dl-doctor.severity]
        unset-seed = "error"
        seed-unused = "off"

        [tool.dl-doctor.thresholds]
        high-param-count.min-parameters = 50_000_000

        [tool.dl-doctor.thresholds.exploding-weights]
        max-abs = 5e2
      `,
    );
    assert.deepEqual(config, {
      file: FILE,
      rules: {
        select: ['unset-seed', 'seed-unused', 'high-param-count'],
        ignore: ['cudnn-benchmark-nondeterministic'],
        levels: { 'unset-seed': 'error', 'seed-unused': 'off' },
        thresholds: { 'high-param-count.min-parameters': 50_000_000, 'exploding-weights.max-abs': 500 },
      },
      exclude: ['data/**', 'legacy/*.py'],
      problems: [],
    });
  });

  it('is not concerned with a pyproject.toml without the table, nor with a broken one that never mentions it', () => {
    assert.equal(parsePyproject(FILE, '[project]\nname = "x"\n[tool.ruff]\nline-length = 100\n'), undefined);
    assert.equal(parsePyproject(FILE, '[project\nname = "x"\n'), undefined);
  });

  it('reports each unusable entry on its own line, names the valid choices, and keeps the rest', () => {
    const text = py`
      [tool.dl-doctor]
      select = ["unset-seed", "unset-seeds"]
      ignore = "seed-unused"
      colour = "red"

      [tool.dl-doctor.severity]
      seed-unused = "critical"
      dataloader-workers-unseeded = "hint"

      [tool.dl-doctor.thresholds]
      high-param-count.min-params = 10
      high-param-count.min-parameters = -5
      exploding-weights = { max-abs = "big" }
      unset-seed.min = 1
    `;
    // Every rule, in registry order; and every rule with thresholds, each with its names.
    const knownRules = ALL_RULES.map((r) => r.code).join(', ');
    assert.match(knownRules, /^unset-seed, seed-unused, .*high-param-count, .*invalid-config$/);
    const withThresholds = ALL_RULES.filter((r) => r.thresholds?.length).map((r) => `${r.code} (${r.thresholds!.map((t) => t.name).join(', ')})`).join(', ');
    assert.match(withThresholds, /high-param-count \(min-parameters\), exploding-weights \(max-abs\), val-divergence \(margin, patience\)/);
    assert.deepEqual(problems(text), [
      [2, '"unset-seeds"', `Unknown rule \`unset-seeds\` in \`select\` (did you mean \`unset-seed\`?); known rules: ${knownRules}.`],
      [3, 'ignore', '`ignore` must be a list of rule codes, e.g. ignore = ["unset-seed"]; got string "seed-unused".'],
      [4, 'colour', 'Unknown key `colour` in [tool.dl-doctor]; valid keys: select, ignore, exclude, severity, thresholds.'],
      [7, 'seed-unused', 'Severity of `seed-unused` must be one of "error", "warning", "info", "hint", "off"; got string "critical".'],
      [11, 'high-param-count.min-params', '`high-param-count` has no threshold `min-params` (did you mean `min-parameters`?); its thresholds: min-parameters.'],
      [12, 'high-param-count.min-parameters', 'Threshold `high-param-count.min-parameters` must be at least 0; got -5.'],
      [13, 'max-abs', 'Threshold `exploding-weights.max-abs` must be a number (weights larger than this in absolute value are flagged; default 1000); got string "big".'],
      [14, 'unset-seed.min', `\`unset-seed\` has no thresholds; rules with thresholds: ${withThresholds}.`],
    ]);
    // What was valid still applies.
    assert.deepEqual(parsePyproject(FILE, text)!.rules, { select: ['unset-seed'], levels: { 'dataloader-workers-unseeded': 'hint' }, thresholds: {} });
  });

  it('reports a TOML syntax error on its line, as an error, and configures nothing else', () => {
    const config = parsePyproject(FILE, '[tool.dl-doctor]\nselect = ["unset-seed",\nignore = ["seed-unused"]\n');
    assert.deepEqual(config, {
      file: FILE,
      rules: {},
      exclude: [],
      problems: [
        {
          range: { start: { line: 2, character: 0 }, end: { line: 2, character: 24 } },
          message: 'pyproject.toml is not valid TOML: invalid value (line 3, column 1). DL Doctor uses its defaults until it is fixed.',
          severity: 'error',
        },
      ],
    });
  });

  it('does not mistake a table header inside a multi-line string for the real one', () => {
    const text = '[project]\ndescription = """\n[tool.dl-doctor]\nselect = 1\n"""\n\n[tool.dl-doctor]\nselect = 1\n';
    assert.deepEqual(problems(text), [[8, 'select', '`select` must be a list of rule codes, e.g. select = ["unset-seed"]; got number 1.']]);
  });
});

describe('merging configurations', () => {
  it('layers defaults < pyproject < editor settings or command line: select replaced, ignore added, severities and thresholds by key', () => {
    const project = { select: ['unset-seed', 'seed-unused'], ignore: ['seed-unused'], levels: { 'unset-seed': 'error' as const }, thresholds: { 'high-param-count.min-parameters': 10, 'exploding-weights.max-abs': 5 } };
    const editor = { levels: { 'unset-seed': 'hint' as const }, thresholds: { 'exploding-weights.max-abs': 50 } };
    const merged = mergeRuleConfig(project, editor);
    assert.deepEqual(merged, {
      select: ['unset-seed', 'seed-unused'],
      ignore: ['seed-unused'],
      levels: { 'unset-seed': 'hint' },
      thresholds: { 'high-param-count.min-parameters': 10, 'exploding-weights.max-abs': 50 },
    });
    assert.equal(effectiveSeverity('unset-seed', 'warning', merged), 'hint');
    assert.equal(effectiveSeverity('seed-unused', 'warning', merged), undefined, 'ignored although selected');
    assert.equal(effectiveSeverity('cudnn-benchmark-nondeterministic', 'info', merged), undefined, 'not selected');
    assert.deepEqual(mergeRuleConfig(project, { select: ['cudnn-benchmark-nondeterministic'], ignore: ['unset-seed'] }).select, ['cudnn-benchmark-nondeterministic']);
    assert.deepEqual(mergeRuleConfig(project, { ignore: ['unset-seed'] }).ignore, ['seed-unused', 'unset-seed']);
  });
});

describe('finding the configuration of a file', () => {
  let root: string;

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'dl-doctor-config-'));
    fs.mkdirSync(path.join(root, 'project', 'src', 'models'), { recursive: true });
    fs.mkdirSync(path.join(root, 'project', 'vendored'), { recursive: true });
    fs.writeFileSync(path.join(root, 'project', 'pyproject.toml'), '[tool.dl-doctor]\nignore = ["seed-unused"]\nexclude = ["vendored/**"]\n');
    // A nested pyproject.toml for another tool does not hide the project's.
    fs.writeFileSync(path.join(root, 'project', 'src', 'pyproject.toml'), '[tool.black]\nline-length = 100\n');
    fs.writeFileSync(path.join(root, 'project', 'src', 'models', 'pyproject.toml'), '[tool.dl-doctor]\nignore = ["unset-seed"]\n');
  });

  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('takes the nearest pyproject.toml with a [tool.dl-doctor] table, walking up from the file', () => {
    const configs = new ProjectConfigs();
    assert.equal(configs.forFile(path.join(root, 'project', 'src', 'train.py'))?.file, path.join(root, 'project', 'pyproject.toml'));
    assert.equal(configs.forFile(path.join(root, 'project', 'src', 'models', 'net.py'))?.file, path.join(root, 'project', 'src', 'models', 'pyproject.toml'));
    assert.equal(configs.forFile(path.join(root, 'project', 'src', 'train.py'), path.join(root, 'project', 'src')), undefined, 'the walk stops at the workspace folder');
  });

  it('applies exclude globs relative to the folder of the pyproject.toml', () => {
    const configs = new ProjectConfigs();
    const config = configs.forFile(path.join(root, 'project', 'vendored', 'lib.py'))!;
    assert.equal(configs.isExcluded(config, path.join(root, 'project', 'vendored', 'lib.py')), true);
    assert.equal(configs.isExcluded(config, path.join(root, 'project', 'src', 'train.py')), false);
  });

  it('reads a changed file again after clear()', () => {
    const configs = new ProjectConfigs();
    const file = path.join(root, 'project', 'src', 'models', 'net.py');
    assert.deepEqual(configs.forFile(file)?.rules.ignore, ['unset-seed']);
    fs.writeFileSync(path.join(root, 'project', 'src', 'models', 'pyproject.toml'), '[tool.dl-doctor]\nignore = ["seed-unused"]\n');
    assert.deepEqual(configs.forFile(file)?.rules.ignore, ['unset-seed'], 'cached until cleared');
    configs.clear();
    assert.deepEqual(configs.forFile(file)?.rules.ignore, ['seed-unused']);
  });
});

describe('thresholds from the configuration reach the rules', () => {
  it('a lower high-param-count.min-parameters makes a 1,498-parameter checkpoint worth a note, with its evidence', async () => {
    const checkpoint = path.join(FIXTURES, 'models/pytorch/lightning.ckpt');
    const config = parsePyproject(FILE, '[tool.dl-doctor.thresholds]\nhigh-param-count.min-parameters = 1000\n')!;
    assert.deepEqual((await (await engine()).checkModelFile(checkpoint))?.findings.map((f) => f.rule), []);
    const [finding] = (await (await engine()).checkModelFile(checkpoint, config.rules))!.findings;
    assert.equal(finding.rule, 'high-param-count');
    assert.deepEqual(finding.evidence, [
      '1,498 parameters, at or above `high-param-count.min-parameters` = 1,000',
      'Adam/AdamW: 1,498 × 16 B (fp32 weights, gradients, two moments) ≈ 24.0 KB',
      'SGD with momentum: 1,498 × 12 B ≈ 18.0 KB',
    ]);
  });
});
