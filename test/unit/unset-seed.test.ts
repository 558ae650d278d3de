import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEdits } from '../support/edits';
import { checkSource, py } from '../support/engine';

async function unsetSeed(source: string) {
  return (await checkSource(source)).findings.filter((f) => f.rule === 'unset-seed');
}

describe('unset-seed', () => {
  it('names the unseeded frameworks and points at the first random use', async () => {
    const [finding, ...rest] = await unsetSeed(py`
      import numpy as np
      import torch
      from torch import nn

      def main():
          model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
          noise = np.random.rand(3)
          return model, noise

      if __name__ == "__main__":
          main()
    `);
    assert.equal(rest.length, 0);
    assert.equal(finding.range.start.line, 5);
    assert.equal(finding.range.start.character, 26);
    assert.deepEqual(finding.data?.frameworks, ['numpy', 'torch']);
    assert.match(finding.message, /^NumPy and PyTorch randomness is never seeded \(3 random calls, first: nn\.Linear\(784, 128\)\)/);
    assert.match(finding.message, /Seed them once at start-up\.$/);
  });

  for (const [form, source] of [
    ['import torch as T', 'import torch as T\nT.manual_seed(0)\nx = T.rand(3)\n'],
    ['from torch import manual_seed', 'import torch\nfrom torch import manual_seed\nmanual_seed(0)\nx = torch.randn(2)\n'],
    ['from numpy import random as npr', 'from numpy import random as npr\nnpr.seed(1)\nx = npr.normal(size=3)\n'],
    ['import tensorflow.keras as k', 'import tensorflow.keras as k\nk.utils.set_random_seed(3)\nm = k.layers.Dense(4)\n'],
    ['seed in main()', 'import random\ndef main():\n    random.seed(5)\n    print(random.random())\nmain()\n'],
    ['seed under __main__', 'import torch\nx = None\nif __name__ == "__main__":\n    torch.manual_seed(5)\n    x = torch.rand(1)\n'],
    ['helper in the same file', 'import numpy as np\nimport torch\ndef set_all(s):\n    np.random.seed(s)\n    torch.manual_seed(s)\nset_all(1)\nx = torch.rand(1) + np.random.rand(1)\n'],
    ['Lightning seed_everything', 'import lightning as L\nimport torch.nn as nn\nL.seed_everything(7)\nm = nn.Linear(2, 2)\n'],
    ['pytorch_lightning path', 'from pytorch_lightning.utilities.seed import seed_everything\nimport torch\nseed_everything(7)\nx = torch.rand(1)\n'],
    ['transformers set_seed', 'from transformers import set_seed\nimport torch\nset_seed(42)\nx = torch.randn(4)\n'],
    ['HF Trainer seeds itself', 'import torch\nfrom transformers import Trainer\nfrom torch.utils.data import DataLoader\nloader = DataLoader(ds, shuffle=True)\ntrainer = Trainer(model=m, args=a)\n'],
    ['seeded NumPy generator', 'import numpy as np\nrng = np.random.default_rng(0)\nx = rng.normal(size=3)\n'],
    ['JAX keys', 'import jax\nkey = jax.random.PRNGKey(0)\nx = jax.random.normal(key, (3,))\n'],
    ['LightningCLI(seed_everything_default=1234)', 'import torch\nfrom lightning.pytorch.cli import LightningCLI\nm = torch.nn.Linear(2, 2)\ncli = LightningCLI(M, D, seed_everything_default=1234)\n'],
    ['LightningCLI seeded from its command line', 'import torch\nfrom lightning.pytorch.cli import LightningCLI\nm = torch.nn.Linear(2, 2)\ncli = LightningCLI(M, D)\n'],
    // Keras <= 2.3 draws default op seeds from NumPy, Keras 3 from Python's random.
    ['NumPy for standalone Keras 2', 'import numpy\nfrom keras.models import Sequential\nfrom keras.layers import Dense\nnumpy.random.seed(7)\nm = Sequential()\nm.add(Dense(4, input_dim=2))\n'],
    ['random for standalone Keras 3', 'import random\nimport keras\nrandom.seed(1)\nm = keras.Sequential([keras.layers.Dense(4)])\n'],
  ] as const) {
    it(`counts seeding through ${form}`, async () => {
      assert.deepEqual(await unsetSeed(source), []);
    });
  }

  for (const [what, source, frameworks] of [
    ['DataLoader(shuffle=True)', 'import torch\nfrom torch.utils.data import DataLoader\nloader = DataLoader(ds, batch_size=8, shuffle=True)\n', ['torch']],
    ['np.random.default_rng() without a seed', 'import numpy as np\nrng = np.random.default_rng()\n', ['numpy']],
    ['Keras layers', 'from tensorflow import keras\nmodel = keras.Sequential([keras.layers.Dense(10)])\n', ['tensorflow']],
    ['random.shuffle', 'import random\nitems = [1, 2, 3]\nrandom.shuffle(items)\n', ['random']],
    ['tf.random.normal', 'import tensorflow as tf\nx = tf.random.normal((2, 2))\n', ['tensorflow']],
    ['torchvision model without weights', 'import torchvision\nmodel = torchvision.models.resnet18()\n', ['torch']],
    ['LightningCLI(seed_everything_default=False)', 'import torch\nfrom lightning.pytorch.cli import LightningCLI\nm = torch.nn.Linear(2, 2)\ncli = LightningCLI(M, D, seed_everything_default=False)\n', ['torch']],
    ['tf.keras layers when only NumPy is seeded', 'import numpy as np\nfrom tensorflow import keras\nnp.random.seed(0)\nmodel = keras.Sequential([keras.layers.Dense(10)])\n', ['tensorflow']],
    ['seeding only NumPy while using torch', 'import numpy as np\nimport torch\nnp.random.seed(0)\nx = torch.rand(3) * np.random.rand(3)\n', ['torch']],
  ] as const) {
    it(`flags ${what}`, async () => {
      const [finding] = await unsetSeed(source);
      assert.ok(finding, 'expected an unset-seed finding');
      assert.deepEqual(finding.data?.frameworks, frameworks);
    });
  }

  it('stays silent on modules that only define models (the training script seeds)', async () => {
    assert.deepEqual(
      await unsetSeed(py`
        import torch.nn as nn

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(10, 2)
                self.drop = nn.Dropout(0.3)
      `),
      [],
    );
  });

  it('ignores random initial weights in an evaluation script that loads trained ones, but not its shuffles', async () => {
    const evaluate = py`
      import torch
      from torch import nn
      model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
      model.load_state_dict(torch.load("model.pt"))
      model.eval()
    `;
    assert.deepEqual(await unsetSeed(evaluate), []);
    assert.equal((await unsetSeed(evaluate + 'idx = torch.randperm(10)\n')).length, 1);
    const finetune = evaluate + 'loss = model(x).sum()\nloss.backward()\n';
    assert.equal((await unsetSeed(finetune)).length, 1, 'fine-tuning after the load still depends on the initial weights');
  });

  it('accepts calls with their own generator or op-level seed', async () => {
    const source = py`
      import torch
      import tensorflow as tf
      g = torch.Generator().manual_seed(0)
      x = torch.randn(3, generator=g)
      loader = torch.utils.data.DataLoader(ds, shuffle=True, generator=g)
      y = tf.random.normal((2, 2), seed=1)
    `;
    assert.deepEqual(await unsetSeed(source), []);
  });

  it('leaves unit tests alone', async () => {
    const source = 'import torch\nx = torch.randn(2, 3)\n';
    assert.deepEqual((await checkSource(source, '/workspace/tests/test_model.py')).findings, []);
    assert.equal((await checkSource(source, '/workspace/train_model.py')).findings.length, 1);
  });

  it('stays silent when an unresolvable imported helper looks like a seeder', async () => {
    assert.deepEqual(await unsetSeed('import torch\nfrom mylib.repro import fix_seeds\nfix_seeds(1)\nx = torch.rand(2)\n'), []);
  });

  it('stays silent on pretrained models and deterministic tensor factories', async () => {
    const source = py`
      import torch
      from torchvision import models
      model = models.resnet50(weights=models.ResNet50_Weights.DEFAULT)
      mask = torch.zeros(3) + torch.ones(3) + torch.arange(3)
    `;
    assert.deepEqual(await unsetSeed(source), []);
  });
});

describe('unset-seed quick fix', () => {
  it('inserts one SEED constant and the seeding calls after the imports, with the file aliases', async () => {
    const source = py`
      """Train a small CNN."""
      import argparse
      import numpy as npy
      import torch as T
      from torch import nn

      EPOCHS = 3
      model = nn.Linear(4, 2)
      batch = npy.random.rand(8, 4)
    `;
    const [finding] = await unsetSeed(source);
    const fix = finding.fixes?.[0];
    assert.equal(fix?.title, 'Seed all random number generators used in this file');
    const fixed = applyEdits(source, fix!.edits);
    assert.equal(
      fixed,
      py`
        """Train a small CNN."""
        import argparse
        import numpy as npy
        import torch as T
        from torch import nn

        SEED = 42
        npy.random.seed(SEED)
        T.manual_seed(SEED)
        T.cuda.manual_seed_all(SEED)

        EPOCHS = 3
        model = nn.Linear(4, 2)
        batch = npy.random.rand(8, 4)
      `,
    );
    assert.deepEqual(await unsetSeed(fixed), [], 'the warning is gone after the fix');
  });

  it('adds the imports a seeding call needs and uses Keras set_random_seed for Keras-only files', async () => {
    const source = 'from torch import nn\nfrom keras import layers\nimport keras\nm = nn.Linear(2, 2)\nd = layers.Dense(3)\n';
    const [finding] = await unsetSeed(source);
    const fixed = applyEdits(source, finding.fixes![0].edits);
    assert.equal(
      fixed,
      'from torch import nn\nfrom keras import layers\nimport keras\nimport torch\n\nSEED = 42\ntorch.manual_seed(SEED)\ntorch.cuda.manual_seed_all(SEED)\nkeras.utils.set_random_seed(SEED)\n\nm = nn.Linear(2, 2)\nd = layers.Dense(3)\n',
    );
    assert.deepEqual(await unsetSeed(fixed), []);
  });

  it('keeps CRLF line endings', async () => {
    const source = 'import random\r\nx = random.random()\r\n';
    const [finding] = await unsetSeed(source);
    const fixed = applyEdits(source, finding.fixes![0].edits);
    assert.equal(fixed, 'import random\r\n\r\nSEED = 42\r\nrandom.seed(SEED)\r\n\r\nx = random.random()\r\n');
  });
});
