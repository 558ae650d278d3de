import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { REPO } from '../support/engine';

describe('npm run demo', () => {
  it('finds in the bundled demo project exactly what its README promises', () => {
    const result = spawnSync(process.execPath, [path.join(REPO, 'dist/cli.js'), 'check', 'test/fixtures/demo-project', '--format', 'json'], {
      cwd: REPO,
      encoding: 'utf8',
    });
    assert.equal(result.status, 1, result.stderr);
    const report = JSON.parse(result.stdout) as { filesChecked: number; findings: { rule: string; file: string; line: number }[] };
    assert.equal(report.filesChecked, 12);
    assert.deepEqual(
      report.findings.map((f) => `${f.file.replace('test/fixtures/demo-project/', '')}:${f.line} ${f.rule}`),
      [
        'finetune.py:18 cudnn-benchmark-nondeterministic',
        'finetune.py:25 dataloader-workers-unseeded',
        'finetune.py:28 no-validation',
        'notebooks/explore.py:19 unset-seed',
        'scripts/preprocess.py:8 seed-unused',
        'train.py:22 seed-unused',
        'train.py:42 unset-seed',
        'train.py:57 no-early-stopping',
      ],
    );
  });
});
