import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO } from '../support/engine';

const CLI = path.join(REPO, 'dist/cli.js');

describe('dl-doctor check reports the run rules on logs and on the scripts that wrote them', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dl-doctor-cli-runs-'));
    for (const run of ['overfitting', 'nan-loss', 'healthy']) fs.cpSync(path.join(REPO, 'test/fixtures/runs', run), path.join(dir, run), { recursive: true });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('val-divergence on the log row and on model.fit, loss-nan as an error, nothing on the healthy run; exit code 1 (lines 1-based, as the CLI prints them)', () => {
    const result = spawnSync(process.execPath, [CLI, 'check', '.', '--format', 'json'], { cwd: dir, encoding: 'utf8' });
    assert.equal(result.status, 1, result.stderr);
    const report = JSON.parse(result.stdout) as { findings: { rule: string; file: string; severity: string; line: number; message: string }[] };
    const runFindings = report.findings.filter((f) => ['val-divergence', 'generalization-gap', 'loss-nan', 'suspicious-validation'].includes(f.rule));
    assert.deepEqual(
      runFindings.map((f) => [f.file, f.rule, f.severity, f.line]),
      [
        ['nan-loss/training_log.csv', 'loss-nan', 'error', 6],
        ['overfitting/train.py', 'val-divergence', 'warning', 14],
        ['overfitting/train.py', 'generalization-gap', 'warning', 14],
        ['overfitting/training_log.csv', 'val-divergence', 'warning', 5],
        ['overfitting/training_log.csv', 'generalization-gap', 'warning', 61],
      ],
    );
    assert.match(runFindings[3].message, /^Run `overfitting\/training_log\.csv` \(log modified [^)]+\): val_loss was best at epoch 3 \(0\.4538\) and ended at 1\.622/);
  });
});
