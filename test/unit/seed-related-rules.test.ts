import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEdits } from '../support/edits';
import { checkSource, py } from '../support/engine';

async function findings(rule: string, source: string) {
  return (await checkSource(source)).findings.filter((f) => f.rule === rule);
}

describe('seed-unused', () => {
  it('flags a --seed option that is parsed but never read, on the add_argument call', async () => {
    const source = py`
      import argparse
      import torch
      parser = argparse.ArgumentParser()
      parser.add_argument("--lr", type=float, default=0.1)
      parser.add_argument("--seed", type=int, default=1234, help="random seed")
      args = parser.parse_args()
      print(args.lr)
    `;
    const [finding, ...rest] = await findings('seed-unused', source);
    assert.equal(rest.length, 0);
    assert.equal(finding.range.start.line, 4);
    assert.equal(finding.message, 'Seed --seed (1234) is parsed but never reaches a seeding call: runs still differ. Pass it to the seeding calls, e.g. torch.manual_seed(...), or remove it.');
  });

  it('flags a SEED constant that is only printed, and a config dict entry never read', async () => {
    const source = py`
      SEED = 7
      config = {"lr": 0.001, "seed": 3}
      print(f"seed={SEED}")
      lr = config["lr"]
    `;
    const hits = await findings('seed-unused', source);
    assert.deepEqual(
      hits.map((h) => [h.range.start.line, h.data?.declaration]),
      [
        [0, 'SEED'],
        [1, 'config["seed"]'],
      ],
    );
  });

  for (const [what, source] of [
    ['args.seed reaching a seeding call', 'import argparse, torch\np = argparse.ArgumentParser()\np.add_argument("--seed", type=int, default=0)\nargs = p.parse_args()\ntorch.manual_seed(args.seed)\n'],
    ['the namespace handed to an imported function', 'import argparse\nfrom trainer import run\np = argparse.ArgumentParser()\np.add_argument("--seed", type=int, default=0)\nargs = p.parse_args()\nrun(args)\n'],
    ['a constant passed on', 'import numpy as np\nSEED = 3\nrng = np.random.default_rng(SEED)\n'],
    ['a config dict handed to a function', 'from lib import train\ncfg = {"seed": 1}\ntrain(cfg)\n'],
    ['getattr by name', 'import argparse\np = argparse.ArgumentParser()\np.add_argument("--seed", default=1)\nargs = p.parse_args()\ns = getattr(args, "seed")\n'],
  ] as const) {
    it(`stays silent on ${what}`, async () => {
      assert.deepEqual(await findings('seed-unused', source), []);
    });
  }
});

describe('cudnn-benchmark-nondeterministic', () => {
  it('flags benchmark = True in a seeded script, through any alias, with a fix that turns it off', async () => {
    const source = 'import torch\nfrom torch.backends import cudnn\ntorch.manual_seed(0)\ncudnn.benchmark = True\n';
    const [finding] = await findings('cudnn-benchmark-nondeterministic', source);
    assert.equal(finding.severity, 'info');
    assert.equal(finding.range.start.line, 3);
    assert.equal(applyEdits(source, finding.fixes![0].edits), 'import torch\nfrom torch.backends import cudnn\ntorch.manual_seed(0)\ncudnn.benchmark = False\n');
  });

  it('stays silent when the script does not seed torch (unset-seed covers that)', async () => {
    assert.deepEqual(await findings('cudnn-benchmark-nondeterministic', 'import torch\ntorch.backends.cudnn.benchmark = True\n'), []);
  });
});

describe('dataloader-workers-unseeded', () => {
  it('flags a shuffling DataLoader with workers from an argparse default, naming where the value came from', async () => {
    const source = py`
      import argparse
      import torch
      from torch.utils.data import DataLoader
      parser = argparse.ArgumentParser()
      parser.add_argument("--workers", type=int, default=4)
      args = parser.parse_args()
      torch.manual_seed(0)
      loader = DataLoader(train_set, batch_size=32, shuffle=True, num_workers=args.workers)
    `;
    const [finding] = await findings('dataloader-workers-unseeded', source);
    assert.equal(finding.range.start.line, 7);
    assert.match(finding.message, /^DataLoader shuffles with num_workers=4 \(from --workers default \(line 5\)\) but has neither generator= nor worker_init_fn=/);
  });

  for (const [what, call] of [
    ['a generator', 'DataLoader(ds, shuffle=True, num_workers=2, generator=g)'],
    ['a worker_init_fn', 'DataLoader(ds, shuffle=True, num_workers=2, worker_init_fn=seed_worker)'],
    ['no workers', 'DataLoader(ds, shuffle=True, num_workers=0)'],
    ['no shuffling', 'DataLoader(ds, shuffle=False, num_workers=8)'],
    ['an unknown worker count', 'DataLoader(ds, shuffle=True, num_workers=os.cpu_count())'],
    ['Lightning seeding the workers', 'DataLoader(ds, shuffle=True, num_workers=4)\nimport lightning as L\nL.seed_everything(1, workers=True)'],
    ['LightningCLI seeding the workers', 'DataLoader(ds, shuffle=True, num_workers=4)\nfrom lightning.pytorch.cli import LightningCLI\nLightningCLI(M, D, seed_everything_default=7)'],
  ] as const) {
    it(`stays silent with ${what}`, async () => {
      const source = `import os\nimport torch\nfrom torch.utils.data import DataLoader\ntorch.manual_seed(0)\nloader = ${call}\n`;
      assert.deepEqual(await findings('dataloader-workers-unseeded', source), []);
    });
  }
});
