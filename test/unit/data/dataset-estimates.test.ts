import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { py } from '../../support/engine';
import { DATA_FIXTURES, estimatesFor, estimatesForScript, only } from './helpers';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dl-doctor-data-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('dataset estimates from workspace files', () => {
  it('the real churn project: 10,000 rows, train_test_split 0.2 → 8,000 / 2,000, Exited counted 7,963 / 2,037', async () => {
    const e = only(await estimatesForScript('churn/train.py'));
    assert.equal(e.name, 'Churn_Modelling.csv');
    assert.equal(e.source, 'csv');
    assert.equal(e.trainSamples, 8_000);
    assert.equal(e.heldOutSamples, 2_000);
    assert.deepEqual(e.classCounts, { '0': 7_963, '1': 2_037 });
    assert.equal(e.classes, 2);
    assert.deepEqual(e.notes, [
      '10,000 rows in Churn_Modelling.csv (header skipped)',
      'path from DATA (line 6)',
      'train_test_split test_size=0.2 (line 12) → 8,000 train / 2,000 held out',
      'label column "Exited" (line 10): 2 classes in 10,000 rows (0: 7,963, 1: 2,037); counts are of the whole file, before any split',
    ]);
  });

  it('finds the CSV from the workspace root when the script sits in a subfolder, and says when it used the script folder', async () => {
    const fromRoot = only(await estimatesFor('import pandas as pd\ndf = pd.read_csv("churn/Churn_Modelling.csv")\n', path.join(DATA_FIXTURES, 'scripts/train.py'), [DATA_FIXTURES]));
    assert.equal(fromRoot.name, 'churn/Churn_Modelling.csv');
    assert.equal(fromRoot.trainSamples, 10_000);
    const fromScript = only(await estimatesFor('import pandas as pd\ndf = pd.read_csv("Churn_Modelling.csv")\n', path.join(DATA_FIXTURES, 'churn/train.py'), [DATA_FIXTURES]));
    assert.equal(fromScript.name, 'churn/Churn_Modelling.csv');
    assert.match(fromScript.notes[1], /^"Churn_Modelling\.csv" resolved against the script's folder/);
  });

  it('resolves os.path.join with an argparse default, and drops rows for header=None, skiprows and nrows', async () => {
    const [a, b] = await estimatesFor(
      py`
        import argparse, os
        import pandas as pd
        p = argparse.ArgumentParser()
        p.add_argument("--data", default="churn")
        args = p.parse_args()
        raw = pd.read_csv(os.path.join(args.data, "Churn_Modelling.csv"), header=None)
        part = pd.read_csv(os.path.join(args.data, "Churn_Modelling.csv"), skiprows=[0, 1], nrows=500)
      `,
      path.join(DATA_FIXTURES, 'train.py'),
    );
    assert.equal(a.trainSamples, 10_001);
    assert.deepEqual(a.notes, ['10,001 rows in churn/Churn_Modelling.csv (no header row, header=None)', 'path from --data default (line 4)']);
    assert.equal(b.trainSamples, 500);
    assert.match(b.notes[0], /^500 rows in churn\/Churn_Modelling\.csv \(header skipped, skiprows=\[0, 1\], nrows=500\)$/);
  });

  it('tab-separated files, numpy.loadtxt with comments, csv.reader over open()', async () => {
    fs.writeFileSync(path.join(tmp, 'scores.tsv'), 'x\ty\tlabel\n1\t2\tcat\n3\t4\tdog\n5\t6\tcat\n');
    fs.writeFileSync(path.join(tmp, 'points.txt'), '# x y\n1.0 2.0\n3.0 4.0\n');
    const [tsv, txt, rows] = await estimatesFor(
      py`
        import csv
        import numpy as np
        import pandas as pd
        df = pd.read_csv("scores.tsv", sep="\t")
        X_train, X_test, y_train, y_test = train_test_split(df.drop(columns=["label"]), df.pop("label"), test_size=1)
        pts = np.loadtxt("points.txt")
        reader = csv.reader(open("scores.tsv"), delimiter="\t")
      `,
      path.join(tmp, 'train.py'),
    );
    assert.equal(tsv.trainSamples, 2);
    assert.equal(tsv.heldOutSamples, 1);
    assert.deepEqual(tsv.classCounts, { cat: 2, dog: 1 });
    assert.equal(txt.trainSamples, 2);
    assert.match(txt.notes[0], /^2 rows in points\.txt \(1 comment line\(s\) left out\)$/);
    assert.equal(rows.trainSamples, 4);
    assert.match(rows.notes[0], /csv\.reader yields every row, a header row too/);
  });

  it('a step it cannot follow (df.sample) drops the count at the split rather than report a wrong one', async () => {
    const e = only(
      await estimatesFor(
        py`
          import pandas as pd
          from sklearn.model_selection import train_test_split
          df = pd.read_csv("churn/Churn_Modelling.csv")
          small = df.sample(frac=0.1)
          a, b = train_test_split(small, test_size=0.2)
        `,
        path.join(DATA_FIXTURES, 'train.py'),
      ),
    );
    assert.equal(e.trainSamples, undefined);
    assert.match(e.notes.at(-1)!, /^train_test_split \(line 5\) splits data whose row count is not known here: training samples unknown$/);
  });

  it('Subset(ds, range(n)) on an image folder, with its per-class counts kept', async () => {
    const e = only(
      await estimatesFor(
        py`
          from torchvision.datasets import ImageFolder
          from torch.utils.data import Subset
          ds = ImageFolder(root="images/flowers/train")
          few = Subset(ds, range(5))
          loader = DataLoader(few, batch_size=2)
          model.fit(loader, epochs=3)
        `,
        path.join(DATA_FIXTURES, 'train.py'),
      ),
    );
    assert.equal(e.trainSamples, 5);
    assert.deepEqual(e.classCounts, { daisy: 6, rose: 3, tulip: 7 });
    assert.ok(e.notes.includes('Subset(..., range(5)) (line 4) → 5 samples'));
    assert.ok(e.notes.includes('fit (line 6) trains on loader: 5 samples'));
  });
});

describe('dataset estimates from .npy, .npz and image folders', () => {
  it('x.npy and y.npy paired in a TensorDataset and split 0.8 / 0.2: one data set, 96 / 24', async () => {
    const e = only(await estimatesForScript('arrays/train.py'));
    assert.equal(e.name, 'images.npy');
    assert.equal(e.trainSamples, 96);
    assert.equal(e.heldOutSamples, 24);
    assert.deepEqual(e.inputShape, [1, 4, 4]);
    assert.deepEqual(e.notes, [
      '120 samples: shape (120, 1, 4, 4) <f4 in the header of images.npy (sample shape as stored)',
      'random_split [0.8, 0.2] (line 8) → 96 / 24 (the first is taken as training)',
      'labels.npy pairs with it sample by sample (120 samples: shape (120,) <i8 in the header of labels.npy)',
    ]);
  });

  it('an .npz with x_train / x_test members: 100 train / 20 held out', async () => {
    const e = only(await estimatesForScript('arrays/train_npz.py'));
    assert.equal(e.trainSamples, 100);
    assert.equal(e.heldOutSamples, 20);
    assert.deepEqual(e.inputShape, [4]);
  });

  it('ImageFolder through Path(__file__).parent / "flowers" / "train"', async () => {
    const e = only(await estimatesForScript('images/train_torch.py'));
    assert.equal(e.name, 'flowers/train/');
    assert.equal(e.trainSamples, 16);
    assert.equal(e.classes, 3);
    assert.ok(e.notes.includes('1 link(s) back to a folder already counted were skipped (a symlink loop)'));
  });

  it('image_dataset_from_directory training and validation subsets make one estimate: 8 / 2', async () => {
    const e = only(await estimatesForScript('images/train_keras.py'));
    assert.equal(e.trainSamples, 8);
    assert.equal(e.heldOutSamples, 2);
    assert.deepEqual(e.classCounts, { daisy: 5, rose: 3, tulip: 2 });
    assert.equal(e.notes.filter((n) => n.startsWith('10 images in 3 class folder(s)')).length, 1);
  });

  it('flow_from_directory with the generator validation_split=0.5 splits each class folder; a missing folder gives nothing', async () => {
    const e = only(await estimatesForScript('images/train_generator.py'));
    assert.equal(e.trainSamples, 6);
    assert.equal(e.heldOutSamples, 3);
    assert.deepEqual(e.classCounts, { daisy: 3, rose: 2, tulip: 1 });
  });
});

describe('dataset estimates from bad input', () => {
  it('ragged rows, binary content and a lying .npy header give a clear note and no count; a missing file gives nothing', async () => {
    const estimates = await estimatesForScript('bad/train.py', [DATA_FIXTURES]);
    assert.deepEqual(
      estimates.map((e) => [e.name, e.trainSamples, e.notes[0]]),
      [
        ['bad/ragged.csv', undefined, 'bad/ragged.csv: 1 row(s) have more fields than the first row\'s 3 (first at line 4); pandas stops with "Error tokenizing data", so no count'],
        ['bad/binary.csv', undefined, 'bad/binary.csv is not text (it holds NUL bytes): no row count'],
        ['arrays/lying.npy', undefined, 'arrays/lying.npy: the .npy header declares shape (1000000000,) of <f8: 8,000,000,000 data bytes, the file has 80; no count'],
      ],
    );
  });

  it('range(10**9) in Subset and a huge slice do not allocate or hang', async () => {
    const e = only(
      await estimatesFor(py`
        from torchvision import datasets
        from torch.utils.data import Subset
        ds = datasets.CIFAR10("data", train=True)
        ds = Subset(ds, range(10**9))
      `),
    );
    assert.equal(e.trainSamples, 50_000);
    assert.ok(e.notes.includes('Subset(..., range(10**9)) (line 4) → 50,000 training samples'));
  });

  it('paths that do not resolve statically give nothing', async () => {
    const estimates = await estimatesFor(py`
      import os
      import pandas as pd
      df = pd.read_csv(os.environ["DATA"])
      df2 = pd.read_csv(f"{name}.csv")
    `);
    assert.deepEqual(estimates, []);
  });
});
