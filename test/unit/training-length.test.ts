import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkSource, py } from '../support/engine';

async function epochs(source: string) {
  const training = (await checkSource(source)).facts?.training;
  return training && [training.epochs, training.via];
}

const MODEL = 'from torchvision.models import resnet18\nmodel = resnet18()\n';

describe('epochs a script trains for', () => {
  it('reads Keras fit(epochs=), Lightning max_epochs and TrainingArguments num_train_epochs, with where the value came from', async () => {
    assert.deepEqual(await epochs(MODEL + 'EPOCHS = 12\nmodel.fit(x, y, epochs=EPOCHS)\n'), [12, '`epochs=` of fit (line 4), EPOCHS (line 3)']);
    assert.deepEqual(await epochs(MODEL + 'import lightning as L\ntrainer = L.Trainer(max_epochs=5)\n'), [5, '`max_epochs=` of Trainer (line 4)']);
    assert.deepEqual(await epochs(MODEL + 'from transformers import TrainingArguments\nargs = TrainingArguments("out", num_train_epochs=3)\n'), [3, '`num_train_epochs=` of TrainingArguments (line 4)']);
  });

  it('reads an argparse default through range(args.epochs)', async () => {
    const source = py`
      import argparse
      from torchvision.models import resnet18
      parser = argparse.ArgumentParser()
      parser.add_argument("--epochs", type=int, default=40)
      args = parser.parse_args()
      model = resnet18()
      for epoch in range(args.epochs):
          pass
    `;
    assert.deepEqual(await epochs(source), [40, '`range` of the epoch loop (line 7), --epochs default (line 4)']);
  });

  it('ignores batch loops, unresolved counts and sentinels such as range(10**9)', async () => {
    assert.equal(await epochs(MODEL + 'for step in range(100):\n    pass\n'), undefined);
    assert.equal(await epochs(MODEL + 'import sys\nfor epoch in range(int(sys.argv[1])):\n    pass\n'), undefined);
    assert.equal(await epochs(MODEL + 'for epoch in range(10**9):\n    pass\n'), undefined);
  });
});
