import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { FIXTURES, REPO } from '../support/engine';

const CLI = path.join(REPO, 'dist/cli.js');
const PROJECTS = path.join(FIXTURES, 'model-code/projects');

function run(args: string[]) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: PROJECTS, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('dl-doctor check: what each script builds and trains on', () => {
  it('--format json lists models (exact integer counts, MACs, pretrained) and data sets per file', () => {
    const { stdout } = run(['check', 'mnist_cnn', 'bert_finetune', '--format', 'json', '--fail-on', 'none']);
    const report = JSON.parse(stdout) as { scripts: { file: string; models: Record<string, unknown>[]; datasets: Record<string, unknown>[]; epochs?: number }[] };
    assert.deepEqual(
      report.scripts.map((s) => s.file),
      ['bert_finetune/train.py', 'mnist_cnn/train.py'],
    );
    const [bert, mnist] = report.scripts;
    const { notes: bertNotes, ...bertModel } = bert.models[0];
    assert.deepEqual(bertModel, { name: 'BertForSequenceClassification bert-base-uncased', line: 8, framework: 'pytorch', parameters: 108_891_648, exact: false, pretrained: true });
    assert.ok(Array.isArray(bertNotes) && bertNotes.length > 0);
    // conv1 26·26·32·9 + conv2 24·24·64·32·9 + fc1 9,216·128 + fc2 128·10 multiply-accumulates
    const { notes: _modelNotes, ...net } = mnist.models[0];
    assert.deepEqual(net, { name: 'Net', line: 37, framework: 'pytorch', parameters: 1_199_882, exact: true, macsPerSample: 11_992_448, inputShape: [1, 28, 28], pretrained: false });
    const { notes: _dataNotes, classCounts, ...mnistData } = mnist.datasets[0];
    assert.equal((classCounts as Record<string, number>)['5'], 5421, "MNIST's smallest training class");
    assert.deepEqual(mnistData, { name: 'MNIST', line: 33, source: 'known', samples: 60_000, heldOutSamples: 10_000, classes: 10, inputShape: [1, 28, 28] });
    assert.equal(mnist.epochs, 14);
  });

  it('text output has a facts line per model and per data set', () => {
    const { stdout } = run(['check', 'resnet_cifar', '--fail-on', 'none']);
    assert.equal(
      stdout,
      [
        // The fixture trains without a validation pass, which no-validation reports above the facts.
        'Overfitting (1 finding)',
        '  resnet_cifar/train.py',
        '    14:1  warning  no-validation  This training loop never evaluates on held-out data: no model.eval(), no torch.no_grad() pass, no loop over validation or test data and no evaluate/validate function anywhere in the file, so overfitting goes unseen. After each epoch, run the model on a validation loader under model.eval() and torch.no_grad().',
        '',
        'Scripts (1 file)',
        '  resnet_cifar/train.py:10  torchvision.models.resnet18: ≈11.2M params · train mem ≈ 178.9 MB (AdamW, fp32, excl. activations)',
        '  resnet_cifar/train.py:7  CIFAR-10: 50,000 training samples · 10 classes · 3×32×32',
        '',
        '1 finding (1 warning) in 1 file checked. Run `dl-doctor explain RULE` for why and how to fix.',
        '',
      ].join('\n'),
    );
  });
});
