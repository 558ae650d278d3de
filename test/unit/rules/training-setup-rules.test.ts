import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEdits } from '../../support/edits';
import { engine, py } from '../../support/engine';

async function findings(rule: string, source: string, thresholds?: Record<string, number>) {
  const result = await (await engine()).checkPython('/workspace/train.py', source, { roots: ['/workspace'], reader: { read: () => undefined }, rules: { thresholds } });
  assert.deepEqual(result.ruleErrors, []);
  return result.findings.filter((f) => f.rule === rule);
}

describe('dropout-too-high', () => {
  it('flags nn.Dropout(0.7) on its argument, with the rate, the threshold and the keep-probability hint', async () => {
    const [finding, ...rest] = await findings('dropout-too-high', 'import torch.nn as nn\nhead = nn.Sequential(nn.Linear(512, 10), nn.Dropout(0.7))\n');
    assert.equal(rest.length, 0);
    assert.equal(finding.severity, 'warning');
    assert.deepEqual(finding.range, { start: { line: 1, character: 52 }, end: { line: 1, character: 55 } });
    assert.equal(
      finding.message,
      'nn.Dropout: drop probability p=0.7 discards 70% of the units at every step (above 0.5): expect underfitting. If 0.7 is the fraction to keep, use p=0.3; otherwise try 0.5 or less.',
    );
    assert.deepEqual(finding.evidence, [
      '`p` = 0.7 (line 2) in `nn.Dropout`, the probability of dropping a unit',
      'reported above `dropout-too-high.max-rate` = 0.5 (UMLAUT, CHI 2021; Srivastava et al. 2014 use 0.5 for hidden units)',
    ]);
  });

  it('reads F.dropout positionally, Keras rate=, recurrent dropout= and a rate of 1', async () => {
    const source = py`
      import torch.nn.functional as F
      from torch import nn
      from tensorflow.keras import layers
      x = F.dropout(x, 0.6, training=True)
      rnn = nn.LSTM(128, 256, num_layers=2, dropout=0.8)
      k = layers.Dropout(rate=1.0)
      r = layers.GRU(64, recurrent_dropout=0.9)
    `;
    const hits = await findings('dropout-too-high', source);
    assert.deepEqual(
      hits.map((h) => [h.range.start.line, h.data?.parameter, h.data?.rate]),
      [
        [3, 'p', 0.6],
        [4, 'dropout', 0.8],
        [5, 'rate', 1],
        [6, 'recurrent_dropout', 0.9],
      ],
    );
    assert.equal(hits[2].message, 'layers.Dropout: drop probability rate=1 zeroes every unit, so nothing reaches the next layer. Use 1 - 1 if you meant a keep probability, or a rate of 0.5 or below.');
  });

  it('stays silent on 0.5, on TF1 keep_prob, on ambiguous positional tf.nn.dropout, on unresolved rates and under a raised threshold', async () => {
    const source = py`
      import tensorflow as tf
      from torch import nn
      a = nn.Dropout(p=0.5)
      b = tf.nn.dropout(x, keep_prob=0.8)
      c = tf.nn.dropout(x, 0.8)
      d = nn.Dropout(rate_from_somewhere)
    `;
    assert.deepEqual(await findings('dropout-too-high', source), []);
    assert.deepEqual(await findings('dropout-too-high', 'from torch import nn\nd = nn.Dropout(0.6)\n', { 'dropout-too-high.max-rate': 0.6 }), []);
  });
});

describe('early-stopping-patience-zero', () => {
  it("flags Keras EarlyStopping left at its default patience, with a fix that adds patience=3", async () => {
    const source = 'from tensorflow import keras\ncb = keras.callbacks.EarlyStopping(monitor="val_loss")\n';
    const [finding] = await findings('early-stopping-patience-zero', source);
    assert.equal(finding.severity, 'warning');
    assert.equal(finding.range.start.line, 1);
    assert.equal(
      finding.message,
      "keras.callbacks.EarlyStopping has patience=0 (Keras' default): training stops at the first epoch the metric fails to improve, and one noisy epoch ends it. Set patience=3 or more.",
    );
    assert.equal(finding.evidence![0], "`patience` not given: Keras' default is 0");
    assert.equal(applyEdits(source, finding.fixes![0].edits), 'from tensorflow import keras\ncb = keras.callbacks.EarlyStopping(monitor="val_loss", patience=3)\n');
    const empty = 'import keras\ncb = keras.callbacks.EarlyStopping()\n';
    const [bare] = await findings('early-stopping-patience-zero', empty);
    assert.equal(applyEdits(empty, bare.fixes![0].edits), 'import keras\ncb = keras.callbacks.EarlyStopping(patience=3)\n');
  });

  it('flags an explicit 0 through a constant (Keras, Lightning, transformers) and replaces the value', async () => {
    const source = py`
      from lightning.pytorch.callbacks import EarlyStopping
      from transformers import EarlyStoppingCallback
      PATIENCE = 0
      a = EarlyStopping(monitor="val_loss", patience=PATIENCE)
      b = EarlyStoppingCallback(early_stopping_patience=0)
    `;
    const hits = await findings('early-stopping-patience-zero', source);
    assert.deepEqual(hits.map((h) => [h.range.start.line, h.evidence![0]]), [
      [3, '`patience` = 0 from PATIENCE (line 3)'],
      [4, '`early_stopping_patience` = 0 (line 5)'],
    ]);
    assert.equal(applyEdits(source, hits[1].fixes![0].edits).split('\n')[4], 'b = EarlyStoppingCallback(early_stopping_patience=3)');
  });

  it("leaves Lightning's and transformers' defaults (3 and 1) and Keras with patience alone", async () => {
    const source = py`
      import keras
      import pytorch_lightning as pl
      from transformers import EarlyStoppingCallback
      a = pl.callbacks.EarlyStopping(monitor="val_loss")
      b = EarlyStoppingCallback()
      c = keras.callbacks.EarlyStopping(patience=5)
      d = keras.callbacks.EarlyStopping(**settings)
    `;
    assert.deepEqual(await findings('early-stopping-patience-zero', source), []);
  });
});

describe('adam-weight-decay', () => {
  it('flags torch.optim.Adam with weight_decay > 0 as info; Use AdamW keeps the module alias', async () => {
    const source = 'import torch.optim as optim\nopt = optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)\n';
    const [finding] = await findings('adam-weight-decay', source);
    assert.equal(finding.severity, 'info');
    assert.deepEqual(finding.range, { start: { line: 1, character: 6 }, end: { line: 1, character: 16 } });
    assert.equal(
      finding.message,
      "Adam with weight_decay=1e-4 applies L2 regularisation that Adam's scaling weakens, not true weight decay. Use torch.optim.AdamW for decoupled weight decay (and re-tune the value: AdamW usually takes 1e-2 … 1e-1).",
    );
    assert.equal(finding.fixes![0].title, 'Use AdamW');
    assert.equal(applyEdits(source, finding.fixes![0].edits), 'import torch.optim as optim\nopt = optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-4)\n');
  });

  it('adds AdamW to a from-import (also an aliased one), or reuses an existing import of it', async () => {
    for (const [before, after] of [
      ['from torch.optim import Adam, lr_scheduler\nopt = Adam(net.parameters(), weight_decay=5e-4)\n', 'from torch.optim import Adam, AdamW, lr_scheduler\nopt = AdamW(net.parameters(), weight_decay=5e-4)\n'],
      ['from torch.optim import Adam as A\nopt = A(net.parameters(), weight_decay=5e-4)\n', 'from torch.optim import Adam as A, AdamW\nopt = AdamW(net.parameters(), weight_decay=5e-4)\n'],
      ['from torch.optim import Adam\nfrom torch.optim import AdamW as W\nopt = Adam(net.parameters(), 1e-3, (0.9, 0.999), 1e-8, 5e-4)\n', 'from torch.optim import Adam\nfrom torch.optim import AdamW as W\nopt = W(net.parameters(), 1e-3, (0.9, 0.999), 1e-8, 5e-4)\n'],
    ] as const) {
      const [finding] = await findings('adam-weight-decay', before);
      assert.equal(applyEdits(before, finding.fixes![0].edits), after);
    }
  });

  it('stays silent on AdamW, on weight_decay=0 and on other libraries’ Adam', async () => {
    const source = 'import torch\nfrom keras.optimizers import Adam\na = torch.optim.AdamW(m.parameters(), weight_decay=0.05)\nb = torch.optim.Adam(m.parameters(), weight_decay=0)\nc = Adam(weight_decay=1e-4)\n';
    assert.deepEqual(await findings('adam-weight-decay', source), []);
  });
});

describe('no-early-stopping', () => {
  const keras = (fitArgs: string, extra = '') => `import keras\n${extra}model.fit(x, y, ${fitArgs})\n`;

  it('flags a Keras fit of 100 epochs with validation and no callbacks, with the count and next step', async () => {
    const [finding] = await findings('no-early-stopping', keras('epochs=100, validation_split=0.2'));
    assert.equal(finding.severity, 'info');
    assert.equal(finding.range.start.line, 1);
    assert.equal(
      finding.message,
      "Keras fit runs 100 epochs and validates, but nothing stops early or keeps the best model: the model you keep is the last epoch's, which may have overfit. " +
        'Add callbacks=[keras.callbacks.EarlyStopping(monitor="val_loss", patience=5, restore_best_weights=True)].',
    );
    assert.match(finding.evidence![0], /^100 epochs \(line 2\) in `model\.fit\(x, y, epochs=100, validation_split=0\.2\)` \(line 2\); reported from `no-early-stopping\.min-epochs` = 50$/);
  });

  it('stays silent with EarlyStopping, a best-only checkpoint, opaque callbacks, no validation, or few epochs', async () => {
    for (const source of [
      keras('epochs=100, validation_split=0.2, callbacks=[keras.callbacks.EarlyStopping(patience=5)]'),
      keras('epochs=100, validation_split=0.2, callbacks=[ckpt]', 'ckpt = keras.callbacks.ModelCheckpoint("m.keras", save_best_only=True)\n'),
      keras('epochs=100, validation_split=0.2, callbacks=make_callbacks()'),
      keras('epochs=100'),
      keras('epochs=20, validation_split=0.2'),
    ]) {
      assert.deepEqual(await findings('no-early-stopping', source), [], source);
    }
    const notBest = keras('epochs=100, validation_split=0.2, callbacks=[keras.callbacks.ModelCheckpoint("m.keras", save_best_only=False)]');
    assert.equal((await findings('no-early-stopping', notBest)).length, 1);
    assert.equal((await findings('no-early-stopping', keras('epochs=20, validation_split=0.2'), { 'no-early-stopping.min-epochs': 10 })).length, 1);
  });

  it('flags a PyTorch epoch loop that trains and evaluates; silent on GAN-style loops without validation and on loops that break or track the best', async () => {
    const loop = (...extra: string[]) =>
      [
        'import torch',
        'EPOCHS = 120',
        'def validate(model, loader):',
        '    model.eval()',
        'for epoch in range(1, EPOCHS + 1):',
        '    loss = model(x).sum()',
        '    loss.backward()',
        '    opt.step()',
        ...extra.map((line) => `    ${line}`),
        '',
      ].join('\n');
    const [finding] = await findings('no-early-stopping', loop('validate(model, val_loader)'));
    assert.equal(finding.range.start.line, 4);
    assert.equal(finding.data?.epochs, 120);
    assert.match(finding.message, /^training loop runs 120 epochs \(from EPOCHS \(line 2\)\) and validates/);
    assert.deepEqual(await findings('no-early-stopping', loop('pass')), []);
    assert.deepEqual(await findings('no-early-stopping', loop('with torch.no_grad():', '    samples = generator(fixed_noise)')), [], 'a GAN drawing samples does not validate');
    assert.deepEqual(await findings('no-early-stopping', loop('if validate(model, val_loader) > 3:', '    break')), []);
    assert.deepEqual(await findings('no-early-stopping', loop('val = validate(model, val_loader)', 'best_val = min(best_val, val)')), []);
  });

  it('reads Lightning max_epochs and TrainingArguments num_train_epochs; load_best_model_at_end silences', async () => {
    const hf = (extra: string) => `from transformers import TrainingArguments\nargs = TrainingArguments("out", num_train_epochs=60, eval_strategy="epoch"${extra})\n`;
    const [finding] = await findings('no-early-stopping', hf(''));
    assert.match(finding.message, /^TrainingArguments runs 60 epochs and validates.*Set load_best_model_at_end=True/);
    assert.deepEqual(await findings('no-early-stopping', hf(', load_best_model_at_end=True, save_strategy="epoch"')), []);
    const lightning = 'import lightning as L\nclass M(L.LightningModule):\n    def validation_step(self, batch, i):\n        pass\nL.Trainer(max_epochs=500).fit(M())\n';
    assert.equal((await findings('no-early-stopping', lightning))[0]?.data?.source, 'lightning');
  });

  it('handles an absurd epoch count without allocating anything', async () => {
    const source = 'for epoch in range(10 ** 12):\n    model(x).sum().backward()\n    model.eval()\n';
    const [finding] = await findings('no-early-stopping', source);
    assert.equal(finding.data?.epochs, 10 ** 12);
  });
});

describe('batchnorm-batch-size-one', () => {
  const script = (loaderBatch: string, body = 'loss.backward()') => py`
    import argparse
    import torch
    from torch import nn
    from torch.utils.data import DataLoader
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch-size", type=int, default=1)
    args = parser.parse_args()
    model = nn.Sequential(nn.Linear(8, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Linear(16, 2))
    loader = DataLoader(data, batch_size=${loaderBatch}, shuffle=True)
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        ${body}
  `;

  it('flags a training DataLoader of batch size 1 feeding BatchNorm, as an error with the evidence chain', async () => {
    const [finding] = await findings('batchnorm-batch-size-one', script('args.batch_size'));
    assert.equal(finding.severity, 'error');
    assert.equal(finding.range.start.line, 8);
    assert.equal(
      finding.message,
      "Training with batch_size=1 (from --batch-size default (line 6)) through nn.BatchNorm1d (line 8): BatchNorm's batch statistics of a single sample are meaningless " +
        '(BatchNorm1d raises an error) and its running statistics become noise. Use batches of 16 or more, or GroupNorm/LayerNorm instead of BatchNorm.',
    );
    assert.deepEqual(finding.evidence, [
      '`batch_size` = 1 from --batch-size default (line 6) in `DataLoader` (line 9)',
      'used for training: `for x, y in loader` (line 10), which calls `.backward()`',
      'BatchNorm layer `nn.BatchNorm1d(16)` (line 8)',
    ]);
  });

  it('flags a loader handed to a train function of the file, and Lightning train_dataloader', async () => {
    const viaFunction = py`
      import torch
      from torch.utils.data import DataLoader
      net = torch.nn.Sequential(torch.nn.Conv2d(3, 8, 3), torch.nn.BatchNorm2d(8))
      def train_one_epoch(model, data):
          for x in data:
              model(x).mean().backward()
      train_loader = DataLoader(ds, batch_size=1)
      train_one_epoch(net, train_loader)
    `;
    assert.equal((await findings('batchnorm-batch-size-one', viaFunction))[0]?.range.start.line, 6);
    const lightning = 'import torch\nfrom torch.utils.data import DataLoader\nclass M:\n    def __init__(self):\n        self.bn = torch.nn.BatchNorm2d(3)\n    def train_dataloader(self):\n        return DataLoader(self.ds, batch_size=1)\n';
    assert.equal((await findings('batchnorm-batch-size-one', lightning)).length, 1);
  });

  it('stays silent at evaluation, with larger batches, without BatchNorm, and when BatchNorm is frozen by the script', async () => {
    assert.deepEqual(await findings('batchnorm-batch-size-one', script('1', 'print(loss)')), []);
    assert.deepEqual(await findings('batchnorm-batch-size-one', script('32')), []);
    assert.deepEqual(await findings('batchnorm-batch-size-one', script('1').replace('nn.BatchNorm1d(16)', 'nn.LayerNorm(16)')), []);
    const frozen = `${script('1')}\nfor m in model.modules():\n    if isinstance(m, nn.BatchNorm1d):\n        m.eval()\n`;
    assert.deepEqual(await findings('batchnorm-batch-size-one', frozen), []);
  });
});
