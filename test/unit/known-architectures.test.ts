import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { checkFile, checkSource, FIXTURES, py } from '../support/engine';

const PROJECTS = path.join(FIXTURES, 'model-code/projects');

async function models(source: string) {
  return (await checkSource(source)).facts?.models ?? [];
}

describe('known architectures', () => {
  it('counts torchvision constructors from the generated table, with num_classes changing the head exactly', async () => {
    const found = await models(py`
      import torchvision
      from torchvision.models import resnet18, ResNet50_Weights
      a = resnet18()
      b = resnet18(num_classes=10)
      c = torchvision.models.resnet50(weights=ResNet50_Weights.DEFAULT)
      d = torchvision.models.efficientnet_b0(weights=None)
    `);
    assert.deepEqual(
      found.map((m) => [m.name, m.range.start.line, m.parameters.count, m.parameters.exact, m.pretrained]),
      [
        ['torchvision.models.resnet18', 2, 11_689_512, true, false],
        // 11,176,512 without the head + 10 × (512 + 1)
        ['torchvision.models.resnet18', 3, 11_181_642, true, false],
        ['torchvision.models.resnet50', 4, 25_557_032, true, true],
        ['torchvision.models.efficientnet_b0', 5, 5_288_548, true, false],
      ],
    );
    // ResNet-18 at 224×224: 1.81 G, as torchvision's model table lists (its "GFLOPS" column counts MACs)
    assert.equal(found[0].macsPerSample, 1_814_073_344);
    assert.deepEqual(found[0].inputShape, [3, 224, 224]);
  });

  it('reads pretrained=True and weights strings, and the weights a ViT is built for', async () => {
    const found = await models(py`
      from torchvision import models
      a = models.resnet18(pretrained=True)
      b = models.vit_b_16(weights="IMAGENET1K_SWAG_E2E_V1")
      c = models.googlenet(weights="DEFAULT")
      d = models.googlenet()
    `);
    assert.deepEqual(
      found.map((m) => [m.parameters.count, m.pretrained]),
      [
        [11_689_512, true],
        // SWAG weights are for 384×384 images: longer position embeddings than the 224×224 default
        [86_859_496, true],
        // loading weights drops GoogLeNet's auxiliary heads
        [6_624_904, true],
        [13_004_888, false],
      ],
    );
  });

  it('says "at least" when num_classes does not resolve, and nothing for keywords that may change the architecture', async () => {
    const found = await models(py`
      import sys
      from torchvision.models import resnet18, mobilenet_v2
      a = resnet18(num_classes=int(sys.argv[1]))
      b = mobilenet_v2(width_mult=0.5)
      c = resnet18(**{"num_classes": 3})
    `);
    assert.deepEqual(found.map((m) => [m.range.start.line, m.parameters.count, m.parameters.exact]), [[2, 11_176_512, false]]);
    assert.match(found[0].notes[0], /num_classes` does not resolve: at least 11,176,512 parameters/);
  });

  it('maps timm names with torchvision architectures', async () => {
    const found = await models('import timm\nm = timm.create_model("resnet50.a1_in1k", pretrained=True, num_classes=0)\nv = timm.create_model("efficientnetv2_rw_s")\n');
    assert.deepEqual(found.map((m) => [m.name, m.parameters.count, m.pretrained]), [['timm resnet50.a1_in1k', 23_508_032, true]]);
  });

  it('counts keras.applications with and without the top, pretrained unless weights=None', async () => {
    const found = await models(py`
      import tensorflow as tf
      from keras.applications import MobileNetV2
      a = tf.keras.applications.ResNet50()
      b = MobileNetV2(include_top=False, weights=None)
      c = tf.keras.applications.VGG16(weights=None, classes=10)
    `);
    assert.deepEqual(
      found.map((m) => [m.name, m.parameters.count, m.pretrained]),
      [
        ['keras.applications.ResNet50', 25_636_712, true],
        ['keras.applications.MobileNetV2', 2_257_984, false],
        // 138,357,544 - 1000 × 4,097 + 10 × 4,097
        ['keras.applications.VGG16', 134_301_514, false],
      ],
    );
  });

  it('finds a frozen Keras base and a frozen PyTorch backbone', async () => {
    const keras = (await checkFile(path.join(PROJECTS, 'keras_transfer/train.py'))).facts!.models;
    assert.deepEqual(keras.map((m) => [m.name, m.parameters.count, m.pretrained, m.frozen]), [['keras.applications.ResNet50', 23_587_712, true, true]]);
    const torch = await models(py`
      from torchvision import models
      model = models.resnet50(weights="IMAGENET1K_V2")
      for p in model.parameters():
          p.requires_grad = False
    `);
    assert.equal(torch[0].frozen, true);
    assert.ok(torch[0].notes.includes('`model` is frozen (line 3)'));
  });

  it('counts Hugging Face checkpoints: the base model exactly, a task model as at least the encoder', async () => {
    const found = await models(py`
      from transformers import AutoModel, GPT2LMHeadModel
      a = AutoModel.from_pretrained("google-bert/bert-base-uncased")
      b = GPT2LMHeadModel.from_pretrained("gpt2")
      c = AutoModel.from_pretrained("my-org/private-model")
    `);
    assert.deepEqual(
      found.map((m) => [m.name, m.parameters.count, m.parameters.exact, m.pretrained]),
      [
        ['AutoModel bert-base-uncased', 109_482_240, true, true],
        ['GPT2LMHeadModel gpt2', 124_439_808, false, true],
      ],
    );
    const bert = (await checkFile(path.join(PROJECTS, 'bert_finetune/train.py'))).facts!.models;
    // BertForSequenceClassification: the encoder without its pooler is a lower bound whatever the head
    assert.deepEqual(bert.map((m) => [m.range.start.line, m.parameters.count, m.parameters.exact]), [[7, 108_891_648, false]]);
  });
});

describe('high-param-count on scripts', () => {
  it('reports the line that builds VGG-16 with the memory to train it', async () => {
    const result = await checkFile(path.join(PROJECTS, 'vgg_imagenet/train.py'));
    const [hit, ...rest] = result.findings.filter((f) => f.rule === 'high-param-count');
    assert.equal(rest.length, 0);
    assert.equal(hit.range.start.line, 7);
    assert.equal(
      hit.message,
      '≈138.4M parameters (torchvision.models.vgg16). Training it in fp32 needs ≈2.21 GB with Adam/AdamW (16 B/parameter) or 1.66 GB with SGD+momentum (12 B/parameter) for weights, gradients and optimizer state, before activations. Consider mixed precision, freezing layers or a smaller model.',
    );
    assert.equal(result.facts?.training?.epochs, 90);
  });

  it('stays below the threshold for ResNet-50 and follows a lower threshold from the config', async () => {
    const source = 'from torchvision.models import resnet50\nmodel = resnet50()\n';
    assert.deepEqual((await checkSource(source)).findings.filter((f) => f.rule === 'high-param-count'), []);
  });
});
