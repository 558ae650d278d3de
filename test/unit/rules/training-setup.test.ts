import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { TRAINING_SETUP_RULES } from '../../fixtures/training-setup/generate-expected';
import { applyEdits } from '../../support/edits';
import { checkSource, engine, FIXTURES, py } from '../../support/engine';

/**
 * The training-setup rules (no-validation, missing-zero-grad, eval-mode-missing, double-softmax,
 * preprocessing-leakage) on scripts written like real projects — pytorch/examples-style MNIST,
 * gradient accumulation with AMP, Lightning with and without validation_step, HF Trainer with and
 * without eval_dataset, Keras Sequential/functional, Kaggle-style sklearn notebooks — each with its
 * exact findings, including the many files that must have none.
 */
const ROOT = path.join(FIXTURES, 'training-setup');
type Expected = Record<string, { rule: string; line: number; column: number; severity: string; message: string }[]>;
const EXPECTED = JSON.parse(fs.readFileSync(path.join(ROOT, 'expected.json'), 'utf8')) as Expected;

async function checkFixture(file: string, text = fs.readFileSync(path.join(ROOT, file), 'utf8')) {
  return (await engine()).checkPython(path.join(ROOT, file), text, { roots: [ROOT] });
}

async function findings(rule: string, source: string) {
  return (await checkSource(source)).findings.filter((f) => f.rule === rule);
}

describe('training-setup fixture scripts', () => {
  it('lists every fixture script in expected.json', () => {
    const files = fs.readdirSync(ROOT, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.py')).sort();
    assert.deepEqual(Object.keys(EXPECTED).sort(), files);
  });

  it('expects findings of every rule, and at least as many silent files as noisy ones', () => {
    const all = Object.values(EXPECTED).flat();
    assert.deepEqual(new Set(all.map((f) => f.rule)), TRAINING_SETUP_RULES);
    const silent = Object.values(EXPECTED).filter((e) => e.length === 0).length;
    assert.ok(silent >= Object.keys(EXPECTED).length - silent, `${silent} silent files`);
  });

  for (const [file, expected] of Object.entries(EXPECTED)) {
    it(`${file}: ${expected.length ? expected.map((e) => `${e.rule}@${e.line}`).join(', ') : 'no training-setup findings'}`, async () => {
      const result = await checkFixture(file);
      assert.deepEqual(result.ruleErrors, []);
      assert.deepEqual(
        result.findings
          .filter((f) => TRAINING_SETUP_RULES.has(f.rule))
          .map((f) => ({ rule: f.rule, line: f.range.start.line + 1, column: f.range.start.character + 1, severity: f.severity, message: f.message })),
        expected,
      );
    });
  }
});

describe('missing-zero-grad', () => {
  it('names the step line and the zero_grad that runs only once, and its fix silences it', async () => {
    const file = 'pytorch/regression_no_zero_grad.py';
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
    const [finding] = (await checkFixture(file, text)).findings.filter((f) => f.rule === 'missing-zero-grad');
    assert.deepEqual(finding.evidence, [
      '`loss.backward()` (line 23) and `optimizer.step()` (line 24) run in the loop over `train_loader` (line 21)',
      'nothing in that loop, or in the functions of this file it calls, zeroes the gradients (`zero_grad()`, `p.grad = None`, `p.grad.zero_()`)',
      '`optimizer.zero_grad()` (line 17) runs outside that loop, so it clears the gradients at most once',
    ]);
    const [fix] = finding.fixes!;
    assert.equal(fix.title, 'Call optimizer.zero_grad() before the backward pass');
    const fixed = applyEdits(text, fix.edits);
    assert.deepEqual(fixed.split('\n').slice(21, 25), ['        loss = criterion(model(x), y)', '        optimizer.zero_grad()', '        loss.backward()', '        optimizer.step()']);
    assert.deepEqual((await checkFixture(file, fixed)).findings.filter((f) => f.rule === 'missing-zero-grad'), []);
  });

  for (const [what, zeroing] of [
    ['model.zero_grad()', 'model.zero_grad()'],
    ['p.grad.zero_() over the parameters', 'for p in model.parameters():\n            p.grad.zero_()'],
    ['zero_grad(set_to_none=True)', 'opt.zero_grad(set_to_none=True)'],
  ] as const) {
    it(`accepts ${what}`, async () => {
      const source = `import torch\nmodel = torch.nn.Linear(2, 1)\nopt = torch.optim.SGD(model.parameters(), lr=0.1)\nfor epoch in range(3):\n    for x, y in data:\n        ${zeroing}\n        model(x).sum().backward()\n        opt.step()\n`;
      assert.deepEqual(await findings('missing-zero-grad', source), []);
    });
  }

  it('flags a loop whose zeroing sits in the wrong loop, and leaves accelerate and non-torch code alone', async () => {
    const wrongLoop = py`
      import torch
      model = torch.nn.Linear(2, 1)
      optimizer = torch.optim.Adam(model.parameters())
      for epoch in range(3):
          for x in data:
              model(x).sum().backward()
              optimizer.step()
          optimizer.zero_grad()
    `;
    const [hit] = await findings('missing-zero-grad', wrongLoop);
    assert.equal(hit.range.start.line, 5);
    assert.equal(hit.severity, 'warning');
    const accelerate = 'import torch\nfrom accelerate import Accelerator\nacc = Accelerator()\nfor x in data:\n    loss = model(x)\n    acc.backward(loss)\n    optimizer.step()\n';
    assert.deepEqual(await findings('missing-zero-grad', accelerate), []);
    const mxnet = 'from mxnet import autograd\nfor x in data:\n    loss.backward()\n    trainer.step(32)\n';
    assert.deepEqual(await findings('missing-zero-grad', mxnet), []);
  });
});

describe('no-validation', () => {
  it('leaves scikit-learn fit, splatted kwargs, modules without an entry point and single-pass loops alone', async () => {
    for (const source of [
      'from sklearn.linear_model import LogisticRegression\nimport tensorflow as tf\nclf = LogisticRegression()\nclf.fit(X, y)\n',
      'from tensorflow import keras\nmodel = keras.Sequential([keras.layers.Dense(1)])\nmodel.compile(loss="mse")\nmodel.fit(x, y, **kw)\n',
      'from tensorflow import keras\ndef train(model, x, y):\n    model.compile(loss="mse")\n    model.fit(x, y, epochs=3)\n',
      'import torch\nfor x, y in loader:\n    optimizer.zero_grad()\n    loss_fn(model(x), y).backward()\n    optimizer.step()\n',
      'from transformers import Trainer\ntrainer = Trainer(model=m, args=a, train_dataset=ds)\ntrainer.train()\ntrainer.evaluate(eval_dataset=val)\n',
    ]) {
      assert.deepEqual(await findings('no-validation', source), [], source);
    }
  });

  it('leaves GANs (two optimizers), reinforcement learning and Keras models compiled without a loss alone', async () => {
    const gan = py`
      import torch
      opt_d = torch.optim.Adam(disc.parameters())
      opt_g = torch.optim.Adam(gen.parameters())
      for epoch in range(25):
          for real in loader:
              opt_d.zero_grad()
              d_loss(real).backward()
              opt_d.step()
              opt_g.zero_grad()
              g_loss().backward()
              opt_g.step()
    `;
    assert.deepEqual(await findings('no-validation', gan), []);
    const single = gan.replace('opt_g.step()', 'opt_d.step()');
    assert.equal((await findings('no-validation', single)).length, 1, 'one optimizer: a classifier-style loop without validation');
    const rl = `import gymnasium as gym\n${gan.replace('opt_g.step()', 'opt_d.step()')}`;
    assert.deepEqual(await findings('no-validation', rl), []);
    const vae = 'from tensorflow import keras\nvae = VAE(encoder, decoder)\nvae.compile(optimizer=keras.optimizers.Adam())\nvae.fit(mnist_digits, epochs=30, batch_size=128)\n';
    assert.deepEqual(await findings('no-validation', vae), []);
    const classifier = vae.replace('vae.compile(optimizer=keras.optimizers.Adam())', 'vae.compile("adam", "mse")');
    assert.equal((await findings('no-validation', classifier)).length, 1);
  });

  it('leaves a final Keras refit on all the data alone when another fit validated', async () => {
    const source = py`
      from tensorflow import keras
      model = keras.Sequential([keras.layers.Dense(1)])
      model.compile(loss="mse", optimizer="adam")
      history = model.fit(x_train, y_train, epochs=100, validation_data=(x_val, y_val))
      model.fit(x_all, y_all, epochs=best_epoch)
    `;
    assert.deepEqual(await findings('no-validation', source), []);
  });

  it('takes a loop over a validation or test loader, or an accuracy helper, as an evaluation pass', async () => {
    const loop = py`
      import torch
      model = torch.nn.Linear(3, 1)
      optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
      for epoch in range(10):
          for x, y in train_loader:
              optimizer.zero_grad()
              loss_fn(model(x), y).backward()
              optimizer.step()
          for x, y in other_loader:
              print(loss_fn(model(x), y).item())
    `;
    const [hit] = await findings('no-validation', loop);
    assert.deepEqual(hit.range, { start: { line: 3, character: 0 }, end: { line: 3, character: 22 } });
    assert.deepEqual(await findings('no-validation', loop.replace('other_loader', 'val_loader')), []);
    assert.deepEqual(await findings('no-validation', loop.replace('print(loss_fn(model(x), y).item())', 'print(compute_accuracy(model, x, y))')), []);
  });

  it('counts a positional validation_data and a positional eval_dataset', async () => {
    const keras = 'from tensorflow import keras\nmodel = keras.Sequential([keras.layers.Dense(1)])\nmodel.compile(loss="mse")\nmodel.fit(x, y, 32, 10, 1, None, 0.0, (xv, yv))\n';
    assert.deepEqual(await findings('no-validation', keras), []);
    const hf = 'from transformers import Trainer\ntrainer = Trainer(m, a, None, train_ds, val_ds)\ntrainer.train()\n';
    assert.deepEqual(await findings('no-validation', hf), []);
  });
});

describe('double-softmax', () => {
  it('leaves a model that applies softmax only outside training, and log_softmax with nll_loss, alone', async () => {
    const source = py`
      import torch.nn as nn
      import torch.nn.functional as F
      class Net(nn.Module):
          def forward(self, x):
              logits = self.fc(x)
              if self.training:
                  return logits
              return F.softmax(logits, dim=1)
      model = Net()
      criterion = nn.CrossEntropyLoss()
      loss = criterion(model(x), y)
      loss2 = F.nll_loss(F.log_softmax(z, dim=1), y)
    `;
    assert.deepEqual(await findings('double-softmax', source), []);
  });

  it('sees through nn.CrossEntropyLoss().to(device)', async () => {
    const source = 'import torch\nimport torch.nn as nn\ncriterion = nn.CrossEntropyLoss().to(device)\nloss = criterion(torch.softmax(out, dim=1), y)\n';
    const [hit] = await findings('double-softmax', source);
    assert.equal(hit.range.start.line, 3);
  });

  it('gives the evidence of a Keras from_logits mismatch', async () => {
    const [finding] = (await checkFixture('keras/double_softmax.py')).findings.filter((f) => f.rule === 'double-softmax');
    assert.deepEqual(finding.evidence, [
      'last layer of `model`: `layers.Dense(10, activation="softmax")` (line 14), activation softmax',
      'loss: `keras.losses.SparseCategoricalCrossentropy(from_logits=True)` (line 17), from_logits=True',
    ]);
  });
});

describe('eval-mode-missing', () => {
  it('names the layers that behave differently in training mode', async () => {
    const [finding] = (await checkFixture('pytorch/eval_without_eval_mode.py')).findings.filter((f) => f.rule === 'eval-mode-missing');
    assert.deepEqual(finding.evidence, [
      '`model(x)` (line 24) runs inside `with torch.no_grad()` (line 22)',
      'no `.eval()` or `.train(False)` before it in `validate()` or before its calls',
      '`model` has layers that behave differently in training mode: `nn.BatchNorm2d(16)` (line 11), `nn.Dropout(0.5)` (line 12)',
    ]);
  });

  it('follows callers of callers: model.eval() in main before run_validation() → evaluate() counts', async () => {
    const source = py`
      import torch
      import torch.nn as nn
      model = nn.Sequential(nn.Linear(4, 4), nn.BatchNorm1d(4))
      def evaluate(loader):
          with torch.no_grad():
              for x in loader:
                  print(model(x))
      def run_validation(loader):
          return evaluate(loader)
      def main():
          for epoch in range(3):
              model.eval()
              run_validation(val)
      if __name__ == "__main__":
          main()
    `;
    assert.deepEqual(await findings('eval-mode-missing', source), []);
    const [hit] = await findings('eval-mode-missing', source.replace('        model.eval()\n', ''));
    assert.equal(hit.range.start.line, 6);
    assert.match(hit.message, /its BatchNorm layers still act as in training/);
  });

  it('leaves BatchNorm recalibration and Monte Carlo dropout alone', async () => {
    const source = py`
      import torch
      import torch.nn as nn
      model = nn.Sequential(nn.Linear(4, 4), nn.BatchNorm1d(4), nn.Dropout(0.2))
      def recompute_statistics(loader):
          with torch.no_grad():
              for x in loader:
                  model(x)
      def mc_dropout_predict(loader):
          means = []
          with torch.no_grad():
              for x in loader:
                  samples = torch.stack([model(x) for _ in range(20)])
                  means.append(samples.mean(0))
          return means
      if __name__ == "__main__":
          recompute_statistics(train_loader)
          print(mc_dropout_predict(test_loader))
    `;
    assert.deepEqual(await findings('eval-mode-missing', source), []);
    assert.equal((await findings('eval-mode-missing', source.replaceAll('mc_dropout_predict', 'predict'))).length, 1);
  });

  it('accepts model.train(False) before the loop', async () => {
    const source = py`
      import torch
      import torch.nn as nn
      model = nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.5))
      model.train(False)
      with torch.no_grad():
          for x in loader:
              print(model(x))
    `;
    assert.deepEqual(await findings('eval-mode-missing', source), []);
    const [hit] = await findings('eval-mode-missing', source.replace('model.train(False)\n', ''));
    assert.equal(hit.range.start.line, 5);
    assert.match(hit.message, /^model is evaluated in training mode: nothing calls model\.eval\(\) first, so its Dropout layers still act as in training/);
  });
});

describe('preprocessing-leakage', () => {
  it('follows fit then transform of the same data, and forgets a variable reassigned before the split', async () => {
    const source = py`
      from sklearn.model_selection import train_test_split
      from sklearn.preprocessing import RobustScaler
      scaler = RobustScaler()
      scaler.fit(X)
      Xs = scaler.transform(X)
      Xs = load_again()
      a, b = train_test_split(Xs)
      c, d = train_test_split(scaler.transform(X))
    `;
    const hits = await findings('preprocessing-leakage', source);
    assert.deepEqual(
      hits.map((h) => [h.range.start.line, h.message.slice(0, 60)]),
      [[3, 'RobustScaler is fitted on X before train_test_split splits i']],
    );
    assert.equal(hits[0].data?.splitLine, 8);
  });

  it('counts Keras validation_split as a split of the scaled data', async () => {
    const source = py`
      import numpy
      from keras.models import Sequential
      from keras.layers import Dense
      from sklearn.preprocessing import MinMaxScaler
      X = numpy.loadtxt("pima.csv", delimiter=",")[:, 0:8]
      scaler = MinMaxScaler()
      scaler.fit(X)
      X_scaled = scaler.transform(X)
      model = Sequential([Dense(1, activation="sigmoid")])
      model.compile(loss="binary_crossentropy", optimizer="adam")
      model.fit(X_scaled, y, validation_split=0.33, epochs=150)
    `;
    const [hit] = await findings('preprocessing-leakage', source);
    assert.equal(hit.range.start.line, 6);
    assert.match(hit.message, /^MinMaxScaler is fitted on X before model\.fit\(validation_split=…\) splits it \(line 11\)/);
    assert.deepEqual(await findings('preprocessing-leakage', source.replace('validation_split=0.33', 'validation_data=(xv, yv)')), []);
  });

  it('ignores encoders on the label and stateless transformers', async () => {
    const source = py`
      from sklearn.model_selection import train_test_split
      from sklearn.preprocessing import LabelEncoder, Normalizer
      y = LabelEncoder().fit_transform(labels)
      X = Normalizer().fit_transform(X)
      X_train, X_test, y_train, y_test = train_test_split(X, y)
    `;
    assert.deepEqual(await findings('preprocessing-leakage', source), []);
  });
});

describe('bad input', () => {
  it('terminates on self-referential models, recursive helpers and deeply nested loops', async () => {
    const nested = `import torch\n${Array.from({ length: 60 }, (_, i) => `${'    '.repeat(i)}for i${i} in range(2):`).join('\n')}\n${'    '.repeat(60)}loss.backward()\n${'    '.repeat(60)}optimizer.step()\n`;
    const source = py`
      import torch
      import torch.nn as nn
      class Loop(nn.Module):
          def forward(self, x):
              return self(x)
      def helper():
          helper()
          optimizer.step()
      model = Loop()
      model = model
      criterion = nn.CrossEntropyLoss()
      for epoch in range(3):
          for x in data:
              criterion(model(x), y).backward()
              helper()
    `;
    for (const text of [nested, source]) {
      const result = await checkSource(text);
      assert.deepEqual(result.ruleErrors, []);
    }
    assert.equal((await findings('missing-zero-grad', source)).length, 1);
  });
});
