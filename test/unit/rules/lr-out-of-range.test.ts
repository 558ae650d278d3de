import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkSource, engine, py } from '../../support/engine';

async function lrFindings(source: string, thresholds?: Record<string, number>) {
  const result = thresholds
    ? await (await engine()).checkPython('/workspace/train.py', source, { roots: ['/workspace'], reader: { read: () => undefined }, rules: { thresholds } })
    : await checkSource(source);
  assert.deepEqual(result.ruleErrors, []);
  return result.findings.filter((f) => f.rule === 'lr-out-of-range');
}

describe('lr-out-of-range', () => {
  it('flags Adam given an SGD-sized rate from an argparse default, on the lr argument, with where the value came from', async () => {
    const source = py`
      import argparse
      import torch
      parser = argparse.ArgumentParser()
      parser.add_argument("--lr", type=float, default=0.5)
      args = parser.parse_args()
      model = torch.nn.Linear(10, 2)
      optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    `;
    const [finding, ...rest] = await lrFindings(source);
    assert.equal(rest.length, 0);
    assert.equal(finding.severity, 'warning');
    assert.deepEqual(finding.range, { start: { line: 6, character: 52 }, end: { line: 6, character: 59 } });
    assert.equal(
      finding.message,
      'Learning rate 0.5 (from --lr default (line 4)) is above the range used in practice for PyTorch Adam (1e-7 … 0.05): ' +
        "steps this large usually make the loss diverge or the weights blow up. Run a learning-rate range test, or start from Adam's default 1e-3.",
    );
    assert.deepEqual(finding.evidence, ['`lr` = 0.5 from --lr default (line 4)', "range used in practice for Adam-type optimizers: 1e-7 … 0.05; Adam's default 1e-3"]);
  });

  it('judges SGD by whether it has momentum: 5 is fine without, too high with momentum 0.9', async () => {
    const source = py`
      from torch import optim
      plain = optim.SGD(net.parameters(), lr=5)
      heavy = optim.SGD(net.parameters(), lr=5, momentum=0.9)
      usual = optim.SGD(net.parameters(), 0.1, 0.9)
    `;
    const findings = await lrFindings(source);
    assert.deepEqual(findings.map((f) => f.range.start.line), [2]);
    assert.match(findings[0].message, /^Learning rate 5 is above the range used in practice for PyTorch SGD with momentum \(1e-6 … 3\.2\)/);
    assert.deepEqual(findings[0].evidence, [
      '`lr` = 5 (line 3)',
      '`momentum` = 0.9, so the range for SGD with momentum applies',
      'range used in practice for SGD with momentum: 1e-6 … 3.2; a typical 0.1 with momentum 0.9',
    ]);
  });

  it('flags a rate far below the range, e.g. a misplaced exponent', async () => {
    const [finding] = await lrFindings('import torch\nopt = torch.optim.AdamW(model.parameters(), lr=1e-9)\n');
    assert.equal(finding.data?.direction, 'low');
    assert.match(finding.message, /^Learning rate 1e-9 is below the range used in practice for PyTorch AdamW \(1e-7 … 0\.05\): the weights will barely move/);
  });

  it('resolves rates through config dicts, .get defaults, dict(), locals, namespaces and dataclass defaults', async () => {
    const source = py`
      import torch
      from dataclasses import dataclass
      from types import SimpleNamespace
      CONFIG = {"optim": {"name": "adam", "lr": 0.2}}
      hp = dict(lr=0.3)
      ns = SimpleNamespace(lr=0.4)

      @dataclass
      class TrainConfig:
          lr: float = 0.6

      def main(cfg):
          base = CONFIG["optim"]["lr"]
          a = torch.optim.Adam(model.parameters(), lr=base)
          b = torch.optim.Adam(model.parameters(), lr=hp["lr"] / 2)
          c = torch.optim.Adam(model.parameters(), lr=ns.lr)
          d = torch.optim.Adam(model.parameters(), lr=cfg.get("lr", 0.9))
          e = torch.optim.Adam(model.parameters(), lr=TrainConfig().lr)
          f = torch.optim.Adam(model.parameters(), lr=TrainConfig.lr)
    `;
    const findings = await lrFindings(source);
    assert.deepEqual(
      findings.map((f) => [f.range.start.line, f.data?.lr, f.data?.via]),
      [
        [13, 0.2, 'CONFIG["optim"]["lr"] (line 4)'],
        [14, 0.15, 'hp["lr"] (line 5)'],
        [15, 0.4, 'ns.lr (line 6)'],
        [18, 0.6, 'TrainConfig.lr (line 10)'],
      ],
      'cfg is a parameter: its .get default may never apply; TrainConfig() resolves only through class-level access here',
    );
  });

  it('stays silent on values that are rebound, mutated, looped over or passed in', async () => {
    const source = py`
      import torch
      config = {"lr": 0.1}
      config["lr"] = 1e-3
      LR = 0.5
      LR = 1e-3
      def sweep(lr=0.5):
          for rate in [0.1, 0.5]:
              torch.optim.Adam(model.parameters(), lr=rate)
          torch.optim.Adam(model.parameters(), lr=lr)
          torch.optim.Adam(model.parameters(), lr=config["lr"])
          torch.optim.Adam(model.parameters(), lr=LR)
          x = x * 2
          torch.optim.Adam(model.parameters(), lr=x)
    `;
    assert.deepEqual(await lrFindings(source), []);
  });

  for (const [what, source] of [
    ['Adam at 3e-4', 'import torch\nopt = torch.optim.Adam(model.parameters(), lr=3e-4)\n'],
    ['Adadelta at its default 1.0', 'import torch.optim as optim\nopt = optim.Adadelta(model.parameters(), lr=1.0)\n'],
    ['L-BFGS at 1', 'import torch\nopt = torch.optim.LBFGS(model.parameters(), lr=1, max_iter=20)\n'],
    ['SGD 0.1 with Nesterov momentum', 'import torch\nopt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True)\n'],
    ['a rate of 0 that a scheduler overwrites', 'import torch\nopt = torch.optim.Adam(model.parameters(), lr=0)\n'],
    ['input optimisation over a list of tensors', 'import torch\nopt = torch.optim.Adam([image], lr=0.1)\n'],
    ['input optimisation over a named list of tensors', 'import torch\nlatents = [z, w]\nopt = torch.optim.Adam(latents, lr=0.1)\n'],
    ['parameter groups with their own rates', 'import torch\nopt = torch.optim.Adam([{"params": a.parameters(), "lr": 0.1}], lr=1.0)\n'],
    ['a LambdaLR that scales the base rate', 'import torch\nfrom torch.optim.lr_scheduler import LambdaLR\nopt = torch.optim.Adam(model.parameters(), lr=1.0)\ns = LambdaLR(opt, lambda step: 1e-4)\n'],
    ['rates set by hand per group', 'import torch\nopt = torch.optim.Adam(model.parameters(), lr=1.0)\nfor group in opt.param_groups:\n    group["lr"] = 1e-4\n'],
    ['a Keras string optimizer', 'import keras\nmodel.compile(optimizer="adam", loss="mse")\n'],
    ['Keras Adam at its default', 'import keras\nopt = keras.optimizers.Adam()\n'],
    ['Keras SGD with the legacy lr= spelling at 0.01', 'from tensorflow import keras\nopt = keras.optimizers.SGD(lr=0.01, momentum=0.9)\n'],
    ['Keras LearningRateScheduler setting the rate each epoch', 'import keras\nopt = keras.optimizers.Adam(learning_rate=1.0)\ncb = keras.callbacks.LearningRateScheduler(schedule)\n'],
    ['an lr too large to represent', 'import torch\nopt = torch.optim.Adam(model.parameters(), lr=10 ** 10 ** 10)\n'],
    ['a self-referencing name', 'import torch\ndef f():\n    lr = lr * 2\n    torch.optim.Adam(model.parameters(), lr=lr)\n'],
    [
      'one --lr default shared by SGD and Adam branches chosen by a flag',
      'import argparse, torch\np = argparse.ArgumentParser()\np.add_argument("--lr", type=float, default=0.1)\np.add_argument("--optim", default="sgd")\nargs = p.parse_args()\nif args.optim == "sgd":\n    opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)\nelse:\n    opt = torch.optim.Adam(model.parameters(), lr=args.lr)\n',
    ],
    ['an unrelated Adam class', 'from mylib import Adam\nopt = Adam(model.parameters(), lr=5.0)\n'],
  ] as const) {
    it(`stays silent on ${what}`, async () => {
      assert.deepEqual(await lrFindings(source), []);
    });
  }

  it('flags the legacy Keras lr= spelling and optax rates', async () => {
    const source = py`
      import optax
      from tensorflow import keras
      keras_opt = keras.optimizers.Adam(lr=5.0)
      tx = optax.sgd(learning_rate=2e-9, momentum=0.9)
    `;
    const findings = await lrFindings(source);
    assert.deepEqual(
      findings.map((f) => [f.range.start.line, f.data?.direction, f.data?.family]),
      [
        [2, 'high', 'adam'],
        [3, 'low', 'sgd-momentum'],
      ],
    );
    assert.match(findings[0].message, /for Keras Adam \(1e-7 … 0\.05\).*start from Adam's default 1e-3\.$/);
    assert.match(findings[1].message, /for optax sgd with momentum \(1e-6 … 3\.2\)/);
  });

  describe('fine-tuning a pretrained transformer', () => {
    const bert = (lr: string, extra = '') => py`
      import torch
      from transformers import AutoModelForSequenceClassification
      model = AutoModelForSequenceClassification.from_pretrained("bert-base-uncased", num_labels=2)
      ${extra}
      optimizer = torch.optim.AdamW(model.parameters(), lr=${lr})
    `;

    it('flags a rate above 1e-4 with its own message and evidence naming the model', async () => {
      const [finding] = await lrFindings(bert('5e-4'));
      assert.equal(finding.range.start.line, 4);
      assert.equal(
        finding.message,
        'Learning rate 5e-4 for fine-tuning the pretrained AutoModelForSequenceClassification with AdamW is above 1e-4: updates this large overwrite what pre-training learned. ' +
          'BERT was fine-tuned at 2e-5 … 5e-5; use a rate in that range, with warm-up.',
      );
      assert.deepEqual(finding.evidence, [
        '`lr` = 5e-4 (line 5)',
        'pretrained model `AutoModelForSequenceClassification.from_pretrained("bert-ba…` (line 3), trained in full (no frozen weights, no adapters)',
        'fine-tuning range 2e-5 … 5e-5 (Devlin et al. 2019); reported above `lr-out-of-range.max-finetune-lr` = 1e-4',
      ]);
    });

    it('flags AdamW left at its 1e-3 default when fine-tuning', async () => {
      const [finding] = await lrFindings('import torch\nfrom transformers import BertModel\nmodel = BertModel.from_pretrained("bert-base-cased")\nopt = torch.optim.AdamW(model.parameters())\n');
      assert.equal(finding.evidence![0], '`lr` not given: the PyTorch default is 1e-3');
    });

    it('accepts 2e-5, respects max-finetune-lr, and skips frozen backbones, adapters, T5 and tokenizers', async () => {
      assert.deepEqual(await lrFindings(bert('2e-5')), []);
      assert.deepEqual(await lrFindings(bert('5e-4'), { 'lr-out-of-range.max-finetune-lr': 1e-3 }), []);
      assert.deepEqual(await lrFindings(bert('5e-4', 'model.bert.requires_grad_(False)')), []);
      assert.deepEqual(await lrFindings(`from peft import get_peft_model\n${bert('5e-4')}`), []);
      assert.deepEqual(await lrFindings(bert('5e-4').replace('"bert-base-uncased"', '"google/flan-t5-base"')), []);
      const scratch = 'import torch\nfrom transformers import AutoTokenizer, GPT2LMHeadModel, GPT2Config\ntok = AutoTokenizer.from_pretrained("gpt2")\nmodel = GPT2LMHeadModel(GPT2Config())\nopt = torch.optim.AdamW(model.parameters(), lr=6e-4)\n';
      assert.deepEqual(await lrFindings(scratch), []);
    });

    it('flags TrainingArguments(learning_rate=…) for a pretrained model', async () => {
      const source = py`
        from transformers import AutoModelForTokenClassification, TrainingArguments
        model = AutoModelForTokenClassification.from_pretrained("roberta-base")
        args = TrainingArguments(output_dir="out", learning_rate=3e-4)
      `;
      const [finding] = await lrFindings(source);
      assert.equal(finding.range.start.line, 2);
      assert.match(finding.message, /^Learning rate 3e-4 for fine-tuning the pretrained AutoModelForTokenClassification with the Trainer \(AdamW\) is above 1e-4/);
    });
  });

  it("checks OneCycleLR's max_lr against the optimizer it drives, not the optimizer's own lr", async () => {
    const source = py`
      import torch
      opt = torch.optim.Adam(model.parameters(), lr=5.0)
      sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.5, total_steps=100)
    `;
    const [finding, ...rest] = await lrFindings(source);
    assert.equal(rest.length, 0);
    assert.equal(finding.range.start.line, 2);
    assert.match(finding.message, /^OneCycleLR peak learning rate \(max_lr\) 0\.5 is above the range used in practice for PyTorch Adam/);
  });
});
