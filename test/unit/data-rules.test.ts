import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { checkFile, FIXTURES, py } from '../support/engine';

const PROJECTS = path.join(FIXTURES, 'model-code/projects');

async function hits(file: string, rule: string) {
  return (await checkFile(file)).findings.filter((f) => f.rule === rule);
}

/** An image folder as ImageFolder reads it: one subfolder per class, files named like images (content is never read). */
function imageFolder(root: string, counts: Record<string, number>): void {
  for (const [label, n] of Object.entries(counts)) {
    fs.mkdirSync(path.join(root, label), { recursive: true });
    for (let i = 0; i < n; i++) fs.writeFileSync(path.join(root, label, `${i}.jpg`), '');
  }
}

describe('tiny-dataset: calibration anchors that must stay quiet', () => {
  for (const [what, file] of [
    ['a 1.2M-parameter CNN on MNIST (60,000 images)', 'mnist_cnn/train.py'],
    ['ResNet-18 from scratch on CIFAR-10 (50,000 images)', 'resnet_cifar/train.py'],
    ['BERT-base fine-tuned on IMDB', '../../seeding/hf/finetune_trainer.py'],
  ] as const) {
    it(what, async () => {
      const result = await checkFile(path.join(PROJECTS, file));
      assert.ok(result.facts?.models.length, 'the model is sized');
      assert.ok(result.facts?.datasets.some((d) => d.trainSamples), 'the data set is sized');
      assert.deepEqual(result.findings.filter((f) => f.rule === 'tiny-dataset'), []);
    });
  }
});

describe('tiny-dataset: findings', () => {
  let root: string;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'dl-doctor-tiny-'));
    imageFolder(path.join(root, 'images/train'), { cat: 760, dog: 40 });
    const script = (model: string) => py`
      import torch
      from torchvision import datasets, models, transforms
      train_set = datasets.ImageFolder("images/train", transform=transforms.ToTensor())
      loader = torch.utils.data.DataLoader(train_set, batch_size=32, shuffle=True)
      model = ${model}
      optimizer = torch.optim.Adam(model.parameters())
      for epoch in range(20):
          for x, y in loader:
              torch.nn.functional.cross_entropy(model(x), y).backward()
              optimizer.step()
    `;
    fs.writeFileSync(path.join(root, 'scratch.py'), script('models.resnet50(num_classes=2)'));
    fs.writeFileSync(path.join(root, 'pretrained.py'), script('models.resnet50(weights="IMAGENET1K_V2")'));
    fs.writeFileSync(path.join(root, 'frozen.py'), script('models.resnet50(weights="IMAGENET1K_V2")') + 'for p in model.parameters():\n    p.requires_grad = False\n');
    fs.writeFileSync(path.join(root, 'vgg_pretrained.py'), script('models.vgg16(weights="DEFAULT")'));
    fs.writeFileSync(path.join(root, 'state_dict.py'), script('models.resnet50(num_classes=2)') + 'model.load_state_dict(torch.load("imagenet_backbone.pt"), strict=False)\n');
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('reports a 23.5M-parameter ResNet-50 trained from scratch on 800 images, with both numbers, the ratio and a next step', async () => {
    const [hit, ...rest] = await hits(path.join(root, 'scratch.py'), 'tiny-dataset');
    assert.equal(rest.length, 0);
    assert.equal(hit.range.start.line, 4);
    assert.equal(hit.severity, 'warning');
    assert.equal(
      hit.message,
      "≈23.5M parameters (torchvision.models.resnet50) trained from scratch on ≈800 training samples (0.000034 samples/parameter, below 0.001; 40 samples in class 'dog', below 100): expect overfitting. Start from pretrained weights and freeze the backbone, use a smaller model, or add data.",
    );
    assert.ok(hit.evidence?.includes('800 / 23,512,130 = 0.000034 samples per parameter'), hit.evidence?.join('\n'));
  });

  it('relaxes for pretrained weights (ResNet-50 fine-tuned on 800 images is quiet), never reports a frozen backbone', async () => {
    assert.deepEqual(await hits(path.join(root, 'pretrained.py'), 'tiny-dataset'), []);
    assert.deepEqual(await hits(path.join(root, 'frozen.py'), 'tiny-dataset'), []);
  });

  it('takes a model whose weights the script loads (load_state_dict) as fine-tuned, not trained from scratch', async () => {
    assert.deepEqual(await hits(path.join(root, 'state_dict.py'), 'tiny-dataset'), []);
  });

  it('still reports fine-tuning all of VGG-16 (138M) on 800 images', async () => {
    const [hit] = await hits(path.join(root, 'vgg_pretrained.py'), 'tiny-dataset');
    assert.match(hit.message, /^≈138\.4M parameters \(torchvision\.models\.vgg16\) fine-tuned whole on ≈800 training samples \(0\.0000058 samples\/parameter, below 0\.00001\)/);
  });

  it('reports ViT-B/16 from scratch on CIFAR-10', async () => {
    const [hit] = await hits(path.join(PROJECTS, 'vit_cifar/train.py'), 'tiny-dataset');
    assert.match(hit.message, /^≈85\.8M parameters \(torchvision\.models\.vit_b_16\) trained from scratch on ≈50,000 training samples \(0\.00058 samples\/parameter, below 0\.001\)/);
  });

  it('reports the 19:1 imbalance on the ImageFolder line', async () => {
    const [hit, ...rest] = await hits(path.join(root, 'scratch.py'), 'class-imbalance');
    assert.equal(rest.length, 0);
    assert.equal(hit.range.start.line, 2);
    assert.equal(
      hit.message,
      "Class 'cat' has 760 samples and 'dog' 40 in images/train/ (19.0:1, threshold 10:1): the model will favour the large classes. Weight the loss or oversample the small classes, and report per-class metrics.",
    );
  });

  it('stays quiet on balanced known data sets (CIFAR-10)', async () => {
    assert.deepEqual(await hits(path.join(PROJECTS, 'resnet_cifar/train.py'), 'class-imbalance'), []);
  });
});
