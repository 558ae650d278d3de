import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { py } from '../../support/engine';
import { estimatesFor, only } from './helpers';

describe('known data sets', () => {
  it('torchvision MNIST train=True and train=False make one data set: 60,000 train / 10,000 held out, per-digit counts', async () => {
    const e = only(
      await estimatesFor(py`
        from torchvision import datasets, transforms
        train = datasets.MNIST("data", train=True, download=True, transform=transforms.ToTensor())
        test = datasets.MNIST("data", train=False, transform=transforms.ToTensor())
      `),
    );
    assert.equal(e.name, 'MNIST');
    assert.equal(e.trainSamples, 60_000);
    assert.equal(e.heldOutSamples, 10_000);
    assert.equal(e.classes, 10);
    assert.equal(e.classCounts?.['1'], 6_742);
    assert.equal(e.classCounts?.['5'], 5_421);
    assert.deepEqual(e.inputShape, [1, 28, 28]);
    assert.match(e.notes[0], /^60,000 training samples \(torchvision MNIST, train=True; yann\.lecun\.com\/exdb\/mnist\)$/);
  });

  it('CIFAR-10 through random_split with counts: 45,000 train / 5,000 held out, 5,000 per class before the split', async () => {
    const e = only(
      await estimatesFor(py`
        import torchvision
        from torch.utils.data import random_split
        full = torchvision.datasets.CIFAR10(root="./data", download=True)
        train_set, val_set = random_split(full, [45000, 5000])
      `),
    );
    assert.equal(e.trainSamples, 45_000);
    assert.equal(e.heldOutSamples, 5_000);
    assert.equal(e.classCounts?.['9'], 5_000);
    assert.deepEqual(e.inputShape, [3, 32, 32]);
    assert.ok(e.notes.includes('random_split [45000, 5000] (line 4) → 45,000 / 5,000 (the first is taken as training)'));
  });

  it('a train= flag that does not resolve gives classes and shape but no size', async () => {
    const e = only(
      await estimatesFor(py`
        import sys
        from torchvision.datasets import FashionMNIST
        ds = FashionMNIST("data", train=sys.argv[1] == "train")
      `),
    );
    assert.equal(e.trainSamples, undefined);
    assert.equal(e.classes, 10);
    assert.match(e.notes[0], /train= does not resolve statically/);
  });

  it('EMNIST balanced and SVHN split="extra"', async () => {
    const [emnist, svhn] = await estimatesFor(py`
      from torchvision import datasets
      a = datasets.EMNIST("data", split="balanced", train=True)
      b = datasets.SVHN("data", split="extra")
    `);
    assert.equal(emnist.trainSamples, 112_800);
    assert.equal(emnist.classes, 47);
    assert.equal(emnist.classCounts?.['46'], 2_400);
    assert.equal(svhn.trainSamples, undefined);
    assert.equal(svhn.heldOutSamples, 531_131);
  });

  it('keras load_data: the training tuple, a slice and fit(validation_split=0.1)', async () => {
    const e = only(
      await estimatesFor(py`
        from tensorflow import keras
        (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
        x_train = x_train[:20000]
        y_train = y_train[:20000]
        x_train = x_train.reshape(-1, 784).astype("float32") / 255.0
        model.fit(x_train, y_train, epochs=5, validation_split=0.1)
      `),
    );
    assert.equal(e.trainSamples, 18_000);
    assert.equal(e.heldOutSamples, 2_000);
    assert.deepEqual(e.inputShape, [28, 28]);
    assert.deepEqual(e.notes.slice(1), ['x_train[:20000] (line 3) → 20,000 training samples', 'fit validation_split=0.1 (line 6) → 18,000 train / 2,000 held out (the last 2,000)']);
  });

  it('keras reuters with test_split: int(11,228 * 0.9) = 10,105 for training', async () => {
    const e = only(
      await estimatesFor(py`
        from keras.datasets import reuters
        (x_train, y_train), (x_test, y_test) = reuters.load_data(num_words=10000, test_split=0.1)
      `),
    );
    assert.equal(e.trainSamples, 10_105);
    assert.equal(e.heldOutSamples, 1_123);
    assert.equal(e.classes, 46);
  });

  it('sklearn load_iris then train_test_split(test_size=0.25) rounds the test part up: 112 / 38', async () => {
    const e = only(
      await estimatesFor(py`
        from sklearn.datasets import load_iris
        from sklearn.model_selection import train_test_split
        X, y = load_iris(return_X_y=True)
        X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, stratify=y)
      `),
    );
    assert.equal(e.trainSamples, 112);
    assert.equal(e.heldOutSamples, 38);
    assert.deepEqual(e.classCounts, { '0': 50, '1': 50, '2': 50 });
    assert.ok(e.notes.includes('train_test_split test_size=0.25 (line 4) → 112 train / 38 held out'));
  });

  it('Hugging Face load_dataset with a percent slice and a GLUE config', async () => {
    const [imdb, sst2] = await estimatesFor(py`
      from datasets import load_dataset
      small = load_dataset("imdb", split="train[:10%]")
      glue = load_dataset("glue", "sst2")
    `);
    assert.equal(imdb.trainSamples, 2_500);
    assert.equal(imdb.classCounts, undefined);
    assert.equal(imdb.classes, 2);
    assert.match(imdb.notes[0], /^2,500 training samples \(load_dataset\("imdb"\), split="train\[:10%\]"/);
    assert.equal(sst2.trainSamples, 67_349);
    assert.equal(sst2.heldOutSamples, 872);
  });

  it('Hugging Face split="test" is held out, and an unknown name gives nothing', async () => {
    const estimates = await estimatesFor(py`
      import datasets
      test = datasets.load_dataset("ag_news", split="test")
      other = datasets.load_dataset("someone/private-set", split="train")
    `);
    assert.equal(estimates.length, 1);
    assert.equal(estimates[0].trainSamples, undefined);
    assert.equal(estimates[0].heldOutSamples, 7_600);
  });
});
