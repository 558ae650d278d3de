import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { ModelEstimate } from '../../../src/engine/cost/model-estimate';
import { pytorchModels } from '../../../src/engine/python/models/pytorch-models';
import { loadPythonParser } from '../../../src/engine/python/parser';
import { PythonFile } from '../../../src/engine/python/python-file';
import { FIXTURES, py } from '../../support/engine';

const DIR = path.join(FIXTURES, 'model-code/pytorch');

interface Expected {
  line: number;
  name: string;
  parameters: number;
  trainable?: number;
  inputShape?: number[];
  shapeInCode?: boolean;
  macs?: number;
}
// Written by test/fixtures/model-code/generate_ground_truth.py, which builds each fixture's models
// with Debian's python3-torch 1.13 and counts what model.parameters() yields.
const EXPECTED = JSON.parse(fs.readFileSync(path.join(DIR, 'expected.json'), 'utf8')) as Record<string, Expected[]>;

async function parse(source: string, file = '/w/train.py', workspace: Record<string, string> = {}): Promise<PythonFile> {
  const parser = await loadPythonParser();
  return new PythonFile(file, source, parser.parse(source), { roots: [path.dirname(file)], reader: { read: (f) => workspace[f] }, parser, memo: new Map() });
}

async function estimates(source: string, sampleShape?: number[]): Promise<ModelEstimate[]> {
  return pytorchModels(await parse(source), sampleShape);
}

async function fixture(name: string, sampleShape?: number[]): Promise<ModelEstimate[]> {
  const file = path.join(DIR, name);
  return pytorchModels(await parse(fs.readFileSync(file, 'utf8'), file), sampleShape);
}

function notCounted(estimate: ModelEstimate): string[] {
  return estimate.notes.filter((n) => n.startsWith('Not counted'));
}

describe('PyTorch models built in a script: parameters as model.parameters() counts them', () => {
  it('has ground truth for every fixture script', () => {
    const scripts = fs.readdirSync(DIR).filter((f) => f.endsWith('.py'));
    assert.deepEqual(Object.keys(EXPECTED).sort(), scripts.sort());
    assert.ok(scripts.length >= 15);
  });

  for (const [name, models] of Object.entries(EXPECTED)) {
    it(`${name}: ${models.map((m) => `${m.name} ${m.parameters.toLocaleString('en-US')}`).join(', ')}, exact, on the construction's line`, async () => {
      const found = await fixture(name);
      assert.deepEqual(
        found.map((e) => ({ line: e.range.start.line + 1, name: e.name, parameters: e.parameters.count, exact: e.parameters.exact, notCounted: notCounted(e) })),
        models.map((m) => ({ line: m.line, name: m.name, parameters: m.parameters, exact: true, notCounted: [] })),
      );
      for (const [i, m] of models.entries()) {
        const e = found[i];
        assert.equal(e.framework, 'pytorch');
        assert.equal(e.pretrained, false);
        assert.match(e.notes[0], new RegExp(`^${m.parameters.toLocaleString('en-US')} parameters counted from the layers`));
        assert.equal(e.trainableParameters, m.trainable);
        // MACs where the script itself shows the input (a dummy tensor, torchsummary, a training batch).
        if (m.shapeInCode) {
          assert.deepEqual(e.inputShape, m.inputShape);
          assert.equal(e.macsPerSample, m.macs);
        } else assert.equal(e.macsPerSample, undefined);
      }
    });
  }

  it('counts MACs for a given sample shape the way forward hooks on Linear and conv layers do', async () => {
    const [resnet] = await fixture('cifar_resnet.py', [3, 32, 32]);
    const truth = EXPECTED['cifar_resnet.py'][0];
    assert.equal(resnet.macsPerSample, truth.macs);
    assert.deepEqual(resnet.inputShape, [3, 32, 32]);
    assert.ok(resnet.notes.some((n) => /MACs per sample of shape \(3, 32, 32\) from the sample shape given: multiply-accumulates of Linear and convolution layers only/.test(n)));
    const [vgg] = await fixture('vgg_blocks.py', [3, 32, 32]);
    assert.equal(vgg.macsPerSample, EXPECTED['vgg_blocks.py'][0].macs);
    // One shape for the whole file: the generator takes the noise shape; the discriminator, which wants
    // images (and whose forward ends in a squeeze), gets no MACs rather than a guess.
    const [generator, discriminator] = await fixture('dcgan.py', [100, 1, 1]);
    assert.equal(generator.macsPerSample, EXPECTED['dcgan.py'][0].macs);
    assert.equal(discriminator.macsPerSample, undefined);
  });

  it('gives no MACs when the forward pass is not a chain it can follow', async () => {
    const [vit] = await fixture('vit_tiny.py', [3, 32, 32]);
    assert.equal(vit.macsPerSample, undefined);
    const [lstm] = await fixture('text_lstm.py', [50]);
    assert.equal(lstm.macsPerSample, undefined);
  });

  it('reports the freezing it resolves as trainable parameters, with where the freezing is', async () => {
    const [model] = await fixture('freeze_finetune.py');
    assert.equal(model.trainableParameters, EXPECTED['freeze_finetune.py'][0].trainable);
    assert.ok(model.notes.some((n) => n === `${model.trainableParameters!.toLocaleString('en-US')} parameters train; frozen: model.backbone (line 28), model.backbone.stem (line 29).`));
  });

  it('points at the call that builds the model, says where arguments came from', async () => {
    const [model] = await estimates(py`
      import argparse
      import torch.nn as nn
      parser = argparse.ArgumentParser()
      parser.add_argument("--hidden", type=int, default=256)
      args = parser.parse_args()
      class Net(nn.Module):
          def __init__(self, hidden=64):
              super().__init__()
              self.fc = nn.Linear(784, hidden)
              self.out = nn.Linear(hidden, 10)
      model = Net(hidden=args.hidden).to("cuda")
    `);
    assert.deepEqual(model.range, { start: { line: 10, character: 8 }, end: { line: 10, character: 31 } });
    assert.equal(model.parameters.count, 784 * 256 + 256 + 256 * 10 + 10);
    assert.ok(model.notes.includes('Arguments: args.hidden = 256 from --hidden default (line 4).'));
  });

  it('reports the outermost model only, not the module classes it is made of', async () => {
    const found = await estimates(py`
      import torch.nn as nn
      class Block(nn.Module):
          def __init__(self, d):
              super().__init__()
              self.fc = nn.Linear(d, d)
      def block(d):
          return Block(d)
      class Net(nn.Module):
          def __init__(self):
              super().__init__()
              self.blocks = nn.Sequential(block(8), Block(8))
      helper = nn.Sequential(nn.Linear(2, 2))
      model = nn.Sequential(Net(), nn.Linear(8, 1))
      model.train()
    `);
    assert.deepEqual(found.map((e) => [e.name, e.range.start.line, e.parameters.count]), [['Sequential', 12, 2 * 72 + 9]]);
  });
});

describe('PyTorch models whose classes live in another workspace module', () => {
  const models = py`
    import torch.nn as nn
    from .layers import Block
    WIDTH = 32
    class Net(Block):
        def __init__(self, classes=10):
            super().__init__(WIDTH)
            self.head = nn.Linear(WIDTH, classes)
        def forward(self, x):
            return self.head(self.fc(x))
  `;
  const layers = py`
    from torch import nn
    class Block(nn.Module):
        def __init__(self, width):
            super().__init__()
            self.fc = nn.Linear(width * 2, width)
  `;

  it('counts a model imported from the workspace, names in each file resolving in that file', async () => {
    const file = await parse('import torch\nfrom models import Net\nWIDTH = 999\nmodel = Net(classes=5)\nmodel(torch.randn(1, 64))\n', '/w/train.py', {
      '/w/models.py': models,
      '/w/layers.py': layers,
    });
    const [model] = pytorchModels(file);
    assert.equal(model.name, 'Net');
    assert.equal(model.parameters.count, 64 * 32 + 32 + 32 * 5 + 5);
    assert.equal(model.parameters.exact, true);
    assert.equal(model.macsPerSample, 64 * 32 + 32 * 5);
    assert.deepEqual([...file.dependencies].sort(), ['/w/layers.py', '/w/models.py']);
  });

  it('gives no estimate when the imported module is not in the workspace', async () => {
    const file = await parse('import torch\nfrom models import Net\nmodel = Net()\n');
    assert.deepEqual(pytorchModels(file), []);
  });
});

describe('PyTorch models changed after they are built', () => {
  it('counts a replaced head as the script leaves the model', async () => {
    const [model] = await estimates(py`
      import torch.nn as nn
      class Net(nn.Module):
          def __init__(self):
              super().__init__()
              self.features = nn.Sequential(nn.Linear(32, 64), nn.ReLU())
              self.classifier = nn.Sequential(nn.Dropout(), nn.Linear(64, 1000))
              self.fc = nn.Linear(1000, 1000)
      def main():
          model = Net()
          model.fc = nn.Linear(1000, 2)
          model.classifier[-1] = nn.Linear(64, 10)
          model.train()
    `);
    assert.equal(model.parameters.count, 32 * 64 + 64 + 64 * 10 + 10 + 1000 * 2 + 2);
    assert.equal(model.parameters.exact, true);
  });

  it('gives no estimate when a later change happens only under a condition', async () => {
    const found = await estimates(py`
      import torch.nn as nn
      import sys
      class Net(nn.Module):
          def __init__(self):
              super().__init__()
              self.fc = nn.Linear(1000, 1000)
      model = Net()
      if len(sys.argv) > 1:
          model.fc = nn.Linear(1000, 2)
    `);
    assert.deepEqual(found, []);
  });

  it('takes neither class when the same name is defined twice', async () => {
    const found = await estimates(py`
      import torch.nn as nn
      class Net(nn.Module):
          def __init__(self):
              super().__init__()
              self.fc = nn.Linear(10, 10)
      class Net(nn.Module):
          def __init__(self):
              super().__init__()
              self.fc = nn.Linear(10, 20)
      model = Net()
    `);
    assert.deepEqual(found, []);
  });
});

describe('PyTorch models that only partly resolve: at least N, and what was not counted', () => {
  it('counts the rest when a layer argument does not resolve, and names it', async () => {
    const [model] = await estimates(py`
      import torch.nn as nn
      from data import num_features
      class Net(nn.Module):
          def __init__(self, d_in):
              super().__init__()
              self.encoder = nn.Linear(d_in, 128)
              self.head = nn.Linear(128, 10)
      model = Net(num_features())
    `);
    assert.equal(model.parameters.count, 1290);
    assert.equal(model.parameters.exact, false);
    assert.deepEqual(notCounted(model), ['Not counted: nn.Linear(d_in, 128) (line 6): in_features did not resolve.']);
    assert.equal(model.macsPerSample, undefined);
  });

  it('treats a wrapped pretrained or library model as not counted', async () => {
    const [model] = await estimates(py`
      import timm
      import torch.nn as nn
      class Wrapper(nn.Module):
          def __init__(self):
              super().__init__()
              self.backbone = timm.create_model("resnet50", pretrained=True, num_classes=0)
              self.head = nn.Linear(2048, 3)
      model = Wrapper()
    `);
    assert.equal(model.parameters.count, 2048 * 3 + 3);
    assert.equal(model.parameters.exact, false);
    assert.equal(model.pretrained, false);
    assert.deepEqual(notCounted(model), ['Not counted: self.backbone = timm.create_model("resnet50", pretrained=... (line 6): did not resolve.']);
  });

  it('does not follow a branch whose condition does not resolve, and says so', async () => {
    const [model] = await estimates(py`
      import os
      import torch.nn as nn
      class Net(nn.Module):
          def __init__(self):
              super().__init__()
              self.fc = nn.Linear(10, 10)
              if os.environ.get("BIG"):
                  self.fc = nn.Linear(10, 1000)
                  self.extra = nn.Linear(1000, 1000)
              self.out = nn.Linear(4, 2)
      model = Net()
    `);
    // self.fc may have been replaced inside the branch: it is not counted either.
    assert.equal(model.parameters.count, 10);
    assert.equal(model.parameters.exact, false);
    assert.match(notCounted(model)[0], /the condition `os\.environ\.get\("BIG"\)` \(line 7\) did not resolve: what it builds was not counted/);
  });

  it('does not take a module constant for a function parameter of the same name', async () => {
    const [model] = await estimates(py`
      import torch.nn as nn
      HIDDEN = 64
      def build(HIDDEN):
          return nn.Sequential(nn.Linear(10, HIDDEN), nn.Linear(5, 5))
    `);
    assert.equal(model.parameters.count, 30);
    assert.equal(model.parameters.exact, false);
    assert.deepEqual(notCounted(model), ['Not counted: nn.Linear(10, HIDDEN) (line 4): out_features did not resolve.']);
  });

  it('follows a constant that a function rebinds with global, or leaves it unknown', async () => {
    const source = (call: string) => py`
      import torch.nn as nn
      WIDTH = 8
      def configure():
          global WIDTH
          WIDTH = 1024
      class Net(nn.Module):
          def __init__(self):
              super().__init__()
              self.fc = nn.Linear(WIDTH, 2)
              self.out = nn.Linear(2, 2)
      def main():
          ${call}
          model = Net()
      model = Net()
    `;
    // configure() runs before main's Net(): 1024 inputs there; the module-level Net() sees 8.
    const [inMain, atModuleLevel] = await estimates(source('configure()'));
    assert.equal(inMain.parameters.count, 1024 * 2 + 2 + 6);
    assert.equal(atModuleLevel.parameters.count, 8 * 2 + 2 + 6);
    // Whether configure() ran before main's Net() is unknown: that layer is not counted.
    const [unknownOrder] = await estimates(source('pass'));
    assert.equal(unknownOrder.parameters.count, 6);
    assert.equal(unknownOrder.parameters.exact, false);
  });

  it('leaves a layer wrapped by a library function (weight_norm) out of the count', async () => {
    const [model] = await estimates(py`
      import torch.nn as nn
      from torch.nn.utils import weight_norm
      class Net(nn.Module):
          def __init__(self):
              super().__init__()
              self.conv = weight_norm(nn.Conv1d(4, 4, 3))
              self.out = nn.Linear(4, 2)
      model = Net()
    `);
    assert.equal(model.parameters.count, 10);
    assert.equal(model.parameters.exact, false);
    assert.match(notCounted(model)[0], /^Not counted: self\.conv = weight_norm\(nn\.Conv1d\(4, 4, 3\)\) \(line 6\): did not resolve\.$/);
  });

  it('names layer types it does not know', async () => {
    const [model] = await estimates(py`
      import torch.nn as nn
      model = nn.Sequential(nn.LazyLinear(10), nn.Linear(10, 2))
      out = model(x)
    `);
    assert.equal(model.parameters.count, 22);
    assert.deepEqual(notCounted(model), ['Not counted: nn.LazyLinear(10) (line 2): nn.LazyLinear is not supported.']);
  });

  it('keeps tied weights counted once, and an unresolved tie out of the count', async () => {
    const [tied, unknownTie] = await estimates(py`
      import torch.nn as nn
      class Tied(nn.Module):
          def __init__(self):
              super().__init__()
              self.emb = nn.Embedding(100, 16)
              self.out = nn.Linear(16, 100, bias=False)
              self.out.weight = self.emb.weight
      class Odd(nn.Module):
          def __init__(self, source):
              super().__init__()
              self.out = nn.Linear(16, 100)
              self.out.weight = source.weight
      a = Tied()
      b = Odd(load())
    `);
    assert.equal(tied.parameters.count, 1600);
    assert.equal(tied.parameters.exact, true);
    assert.ok(tied.notes[0].includes('Shared modules and tied weights are counted once'));
    assert.equal(unknownTie.parameters.count, 100);
    assert.equal(unknownTie.parameters.exact, false);
  });
});

describe('PyTorch models that do not resolve or are not models: no estimate', () => {
  it('gives nothing when no layer resolves, for library models, and for parameter-free modules', async () => {
    const found = await estimates(py`
      import torch.nn as nn
      import torchvision
      class Net(nn.Module):
          def __init__(self, n):
              super().__init__()
              self.fc = nn.Linear(n, n)
      class Loss(nn.Module):
          def __init__(self):
              super().__init__()
              self.ce = nn.CrossEntropyLoss()
      model = Net(unknown_size)
      backbone = torchvision.models.resnet18(weights="DEFAULT")
      criterion = Loss()
    `);
    assert.deepEqual(found, []);
  });

  it('gives nothing for files without torch', async () => {
    assert.deepEqual(await estimates('class Net:\n    pass\nmodel = Net()\n'), []);
  });
});

describe('PyTorch model code that would make a naive counter hang or lie', () => {
  it('stops a class that builds itself, within a bounded depth', async () => {
    const started = Date.now();
    const [model] = await estimates(py`
      import torch.nn as nn
      class Fractal(nn.Module):
          def __init__(self):
              super().__init__()
              self.fc = nn.Linear(2, 2)
              self.inner = Fractal()
      model = Fractal()
    `);
    assert.ok(Date.now() - started < 5000);
    assert.equal(model.parameters.exact, false);
    assert.ok(model.parameters.count >= 6 && model.parameters.count % 6 === 0);
    assert.ok(notCounted(model).some((n) => /nested more than 32 deep/.test(n)));
  });

  it('does not expand range(10**9), and counts the rest as a lower bound', async () => {
    const [model] = await estimates(py`
      import torch.nn as nn
      class Huge(nn.Module):
          def __init__(self):
              super().__init__()
              self.layers = nn.ModuleList([nn.Linear(8, 8) for _ in range(10**9)])
              self.head = nn.Linear(8, 1)
      model = Huge()
    `);
    assert.equal(model.parameters.count, 9);
    assert.equal(model.parameters.exact, false);
    assert.match(notCounted(model)[0], /range\(10\*\*9\) \(more than 10,000 items\)/);
  });

  it('gives no estimate when nested loops would take too many steps', async () => {
    const started = Date.now();
    const found = await estimates(py`
      import torch.nn as nn
      class Slow(nn.Module):
          def __init__(self):
              super().__init__()
              self.layers = nn.ModuleList()
              for i in range(10000):
                  for j in range(10000):
                      self.layers.append(nn.Linear(2, 2))
      model = Slow()
    `);
    assert.deepEqual(found, []);
    assert.ok(Date.now() - started < 10_000);
  });

  it('does not count huge sizes or a 1,000-deep expression', async () => {
    const deep = Array.from({ length: 1000 }, () => '1').join(' + ');
    const [model] = await estimates(py`
      import torch.nn as nn
      model = nn.Sequential(nn.Linear(10**20, 10), nn.Linear(${deep}, 2), nn.Linear(3, 4))
      model.eval()
    `);
    assert.equal(model.parameters.count, 16);
    assert.equal(model.parameters.exact, false);
    assert.equal(notCounted(model).length, 2);
  });

  it('does not count a layer whose size overflows exact arithmetic', async () => {
    const [model] = await estimates(py`
      import torch.nn as nn
      model = nn.Sequential(nn.Embedding(10**12, 10**6), nn.Linear(3, 4))
      model.eval()
    `);
    assert.equal(model.parameters.count, 16);
    assert.deepEqual(notCounted(model), ['Not counted: nn.Embedding(10**12, 10**6) (line 2): a size too large to count exactly.']);
  });

  it('gives the same as PyTorch for a module list built from the same block object', async () => {
    const [model] = await estimates(py`
      import torch.nn as nn
      layer = nn.Linear(4, 4)
      model = nn.Sequential(*[layer] * 5, nn.ModuleList([layer, layer]))
      model.cuda()
    `);
    assert.equal(model.parameters.count, 20);
    assert.equal(model.parameters.exact, true);
  });
});
