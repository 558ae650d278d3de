import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RuleConfig } from '../../src/engine/config';
import type { Finding } from '../../src/engine/finding';
import { applyEdits } from '../support/edits';
import { engine, py } from '../support/engine';

async function check(text: string, rules?: RuleConfig): Promise<Finding[]> {
  return (await (await engine()).checkPython('/workspace/train.py', text, { roots: ['/workspace'], reader: { read: () => undefined }, rules })).findings;
}

/** [rule, 1-based line, message]: what the Problems panel lists. */
async function listed(text: string, rules?: RuleConfig) {
  return (await check(text, rules)).map((f) => [f.rule, f.range.start.line + 1, f.message]);
}

const UNSEEDED = 'import torch\nfrom torch import nn\n\nmodel = nn.Linear(784, 10)\n';

describe('suppression comments', () => {
  it('# dl-doctor: ignore[rule] at the end of the flagged line silences that rule there, and only there', async () => {
    assert.deepEqual(await listed(UNSEEDED.replace('(784, 10)', '(784, 10)  # dl-doctor: ignore[unset-seed]')), []);
    const other = await listed(UNSEEDED.replace('nn\n', 'nn  # dl-doctor: ignore[unset-seed]\n'));
    assert.deepEqual(other.map(([rule, line]) => [rule, line]), [
      ['unused-suppression', 2],
      ['unset-seed', 4],
    ]);
  });

  it('takes several rules, spaces, and a directive after another tool\'s comment; a call spanning lines may carry it on its last line', async () => {
    const text = py`
      import torch
      from torch.utils.data import DataLoader
      torch.manual_seed(0)
      loader = DataLoader(
          dataset, shuffle=True, num_workers=4)  # noqa: E501  # dl-doctor: ignore[ seed-unused ,dataloader-workers-unseeded ]
    `;
    assert.deepEqual(await listed(text), [
      ['unused-suppression', 5, '`ignore[seed-unused]` silences nothing: this line has no seed-unused finding. Remove it.'],
    ]);
  });

  it('# dl-doctor: ignore-file[rule] in the leading comments (below a shebang and docstring) silences the rule in the whole file', async () => {
    const text = `#!/usr/bin/env python\n"""Train a classifier."""\n# dl-doctor: ignore-file[unset-seed]\n${UNSEEDED}x = torch.rand(3)\n`;
    assert.deepEqual(await listed(text), []);
  });

  it('ignores a directive written inside a string', async () => {
    const text = `${UNSEEDED}HELP = "# dl-doctor: ignore-file[unset-seed]"\n`;
    assert.deepEqual((await listed(text)).map(([rule]) => rule), ['unset-seed']);
  });

  it('reports suppressions that silence nothing, with what is wrong with each', async () => {
    const text = py`
      import torch
      from torch import nn
      model = nn.Linear(784, 10)  # dl-doctor: ignore[unset-seeds]
      # dl-doctor: ignore[unset-seed]
      x = 1  # dl-doctor: ignore
      y = 2  # dl-doctor: ignore[unsafe-pickle, invalid-config]
      z = 3  # dl-doctor: disable[unset-seed]
      # dl-doctor: ignore-file[seed-unused]
    `;
    assert.deepEqual(await listed(text), [
      ['unset-seed', 3, 'PyTorch randomness is never seeded (1 random call, first: nn.Linear(784, 10)): every run starts from a different state and results cannot be reproduced. Seed it once at start-up.'],
      ['unused-suppression', 3, '`unset-seeds` is not a DL Doctor rule (did you mean `unset-seed`?), so nothing is silenced. `dl-doctor rules` lists the rules.'],
      ['unused-suppression', 4, '`ignore[unset-seed]` silences nothing: a line suppression applies only to the line it is on, and this line has no code. Put it at the end of the flagged line.'],
      ['unused-suppression', 5, 'A suppression must name the rules it silences, e.g. `# dl-doctor: ignore[rule-code]`; without them it silences nothing.'],
      ['unused-suppression', 6, '`unsafe-pickle` checks model files, not Python code, so this suppression silences nothing. Remove it.'],
      ['unused-suppression', 6, '`invalid-config` checks pyproject.toml, not Python code, so this suppression silences nothing. Remove it.'],
      ['unused-suppression', 7, '`dl-doctor: disable` is not a DL Doctor directive: use `ignore[rule]` for this line or `ignore-file[rule]` at the top of the file.'],
      ['unused-suppression', 8, '`ignore-file` counts only in the comments at the top of the file, above the first line of code; here it silences nothing. Move it to the top.'],
    ]);
  });

  it('does not report a suppression of a rule switched off in the configuration, and honours unused-suppression being off', async () => {
    const text = 'x = 1  # dl-doctor: ignore[seed-unused]\n';
    assert.deepEqual((await listed(text)).map(([rule]) => rule), ['unused-suppression']);
    assert.deepEqual(await listed(text, { levels: { 'seed-unused': 'off' } }), []);
    assert.deepEqual(await listed(text, { ignore: ['unused-suppression'] }), []);
    assert.deepEqual(await listed(`# dl-doctor: ignore-file[unused-suppression]\n${text}`), [], 'kept on purpose');
  });

  it('the fix of a mistyped rule corrects it, and the finding is silenced', async () => {
    const text = UNSEEDED.replace('(784, 10)', '(784, 10)  # dl-doctor: ignore[unset-seeds]');
    const unused = (await check(text)).find((f) => f.rule === 'unused-suppression')!;
    assert.deepEqual(unused.fixes?.map((f) => f.title), ['Change to unset-seed']);
    assert.deepEqual(await listed(applyEdits(text, unused.fixes![0].edits)), []);
  });

  it('Remove unused suppression removes one rule, a trailing directive, or an own-line comment', async () => {
    const cases: [string, string][] = [
      ['x = 1  # dl-doctor: ignore[seed-unused, unset-seed]\n', 'x = 1  # dl-doctor: ignore[seed-unused]\n'],
      ['x = 1  # dl-doctor: ignore[unset-seed]\n', 'x = 1\n'],
      ['x = 1  # noqa: E501  # dl-doctor: ignore[unset-seed]\n', 'x = 1  # noqa: E501\n'],
      ['x = 1  # dl-doctor: ignore[unset-seed]  # type: ignore\n', 'x = 1  # type: ignore\n'],
      ['import os\n# dl-doctor: ignore[unset-seed]\nx = 1\n', 'import os\nx = 1\n'],
    ];
    for (const [before, expected] of cases) {
      const findings = await check(before);
      const unused = findings.filter((f) => f.rule === 'unused-suppression');
      const fix = unused[unused.length - 1].fixes![0];
      assert.equal(fix.title, 'Remove unused suppression');
      assert.equal(applyEdits(before, fix.edits), expected, before);
    }
    const [first] = await check('x = 1  # dl-doctor: ignore[seed-unused, unset-seed]\n');
    assert.equal(applyEdits('x = 1  # dl-doctor: ignore[seed-unused, unset-seed]\n', first.fixes![0].edits), 'x = 1  # dl-doctor: ignore[unset-seed]\n');
  });
});

describe('the Ignore quick fixes', () => {
  it('every Python finding offers "Ignore <rule> on this line" and "… in this file"; each silences it without an unused suppression', async () => {
    const [finding] = await check(UNSEEDED);
    assert.deepEqual(finding.ignoreFixes?.map((f) => f.title), ['Ignore unset-seed on this line', 'Ignore unset-seed in this file']);
    const onLine = applyEdits(UNSEEDED, finding.ignoreFixes![0].edits);
    assert.equal(onLine, 'import torch\nfrom torch import nn\n\nmodel = nn.Linear(784, 10)  # dl-doctor: ignore[unset-seed]\n');
    assert.deepEqual(await listed(onLine), []);
    const inFile = applyEdits(UNSEEDED, finding.ignoreFixes![1].edits);
    assert.equal(inFile, `# dl-doctor: ignore-file[unset-seed]\n${UNSEEDED}`);
    assert.deepEqual(await listed(inFile), []);
  });

  it('adds the rule to a directive already on the line or at the top', async () => {
    const text = '# dl-doctor: ignore-file[seed-unused]\nimport torch\nSEED = 1\nx = torch.rand(3)  # dl-doctor: ignore[cudnn-benchmark-nondeterministic]\n';
    const finding = (await check(text)).find((f) => f.rule === 'unset-seed')!;
    assert.equal(applyEdits(text, finding.ignoreFixes![0].edits).split('\n')[3], 'x = torch.rand(3)  # dl-doctor: ignore[cudnn-benchmark-nondeterministic, unset-seed]');
    assert.equal(applyEdits(text, finding.ignoreFixes![1].edits).split('\n')[0], '# dl-doctor: ignore-file[seed-unused, unset-seed]');
  });

  it('writes the comment the way the file does: after its trailing comments\' spacing, below a shebang and coding line, with its line endings', async () => {
    const text = '#!/usr/bin/env python\r\n# -*- coding: utf-8 -*-\r\nimport torch # deep learning\r\nx = torch.rand(3) # noise\r\n';
    const [finding] = await check(text);
    assert.equal(applyEdits(text, finding.ignoreFixes![0].edits).split('\r\n')[3], 'x = torch.rand(3) # noise # dl-doctor: ignore[unset-seed]');
    assert.equal(applyEdits(text, finding.ignoreFixes![1].edits), '#!/usr/bin/env python\r\n# -*- coding: utf-8 -*-\r\n# dl-doctor: ignore-file[unset-seed]\r\nimport torch # deep learning\r\nx = torch.rand(3) # noise\r\n');
  });

  it('never puts the comment inside a multi-line string or after a backslash: it takes the call\'s last line instead', async () => {
    const text = 'import numpy as np\nx = np.random.choice(["""a\nb"""], \\\n    3)\n';
    const [finding] = await check(text);
    assert.deepEqual([finding.range.start.line, finding.range.end.line], [1, 3]);
    const fixed = applyEdits(text, finding.ignoreFixes![0].edits);
    assert.equal(fixed, 'import numpy as np\nx = np.random.choice(["""a\nb"""], \\\n    3)  # dl-doctor: ignore[unset-seed]\n');
    assert.deepEqual(await listed(fixed), []);
    const continued = 'import numpy as np\nx = np.random.choice(items, \\\n    3)\n';
    const [next] = await check(continued);
    assert.equal(applyEdits(continued, next.ignoreFixes![0].edits), 'import numpy as np\nx = np.random.choice(items, \\\n    3)  # dl-doctor: ignore[unset-seed]\n');
  });
});

describe('evidence behind the reproducibility findings', () => {
  it('unset-seed names each unseeded framework\'s calls and what the file does seed', async () => {
    const text = py`
      import numpy as np
      import torch
      from torch import nn
      np.random.seed(0)
      model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10), nn.Dropout(0.5))
      noise = np.random.rand(3)
    `;
    const [finding] = await check(text);
    assert.deepEqual(finding.evidence, [
      'PyTorch: 3 random calls, first `nn.Linear(784, 256)` (line 5); no seeding call',
      'NumPy seeded by `np.random.seed(0)` (line 4)',
    ]);
  });

  it('dataloader-workers-unseeded says where num_workers came from and what seeds PyTorch', async () => {
    const text = py`
      import argparse
      import torch
      from torch.utils.data import DataLoader
      parser = argparse.ArgumentParser()
      parser.add_argument("--workers", type=int, default=8)
      args = parser.parse_args()
      torch.manual_seed(1)
      loader = DataLoader(ds, batch_size=32, shuffle=True, num_workers=args.workers)
    `;
    const finding = (await check(text)).find((f) => f.rule === 'dataloader-workers-unseeded')!;
    assert.deepEqual(finding.evidence, [
      '`num_workers` = 8 from --workers default (line 5)',
      '`shuffle` = True',
      'PyTorch seeded by `torch.manual_seed(1)` (line 7), so reproducible runs are intended',
      'no `generator=` or `worker_init_fn=` in `DataLoader`',
    ]);
  });

  it('seed-unused shows the declared value and the seeding calls that do not use it; cudnn shows where True came from', async () => {
    const text = py`
      import torch
      SEED = 42
      BENCHMARK = True
      torch.manual_seed(0)
      torch.backends.cudnn.benchmark = BENCHMARK
    `;
    const findings = await check(text);
    assert.deepEqual(findings.find((f) => f.rule === 'seed-unused')?.evidence, [
      '`SEED` = `42`, declared at line 2; read by no seeding call',
      'seeding call `torch.manual_seed(0)` (line 4) does not use it',
    ]);
    assert.deepEqual(findings.find((f) => f.rule === 'cudnn-benchmark-nondeterministic')?.evidence, [
      '`torch.backends.cudnn.benchmark` = True from BENCHMARK (line 3)',
      'PyTorch seeded by `torch.manual_seed(0)` (line 4), so reproducible runs are intended',
    ]);
  });
});
