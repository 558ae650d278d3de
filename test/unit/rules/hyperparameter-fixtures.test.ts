import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { engine, FIXTURES } from '../../support/engine';

/**
 * Training scripts written like real projects (argparse PyTorch, config dicts and dataclasses, Lightning,
 * the Hugging Face Trainer and plain fine-tuning loops, Keras, optax), each with the exact findings of the
 * hyperparameter and training-setup rules — including the scripts that must have none (Adadelta at 1.0,
 * SGD 0.1 with momentum, a Noam-scheduled Adam at 1.0, BERT at 2e-5, a frozen-backbone probe, LoRA at 2e-4,
 * batch size 1 at evaluation only, Dropout 0.5, best-accuracy checkpoints).
 */
const ROOT = path.join(FIXTURES, 'hyperparameters');
const RULES = new Set(['lr-out-of-range', 'adam-weight-decay', 'early-stopping-patience-zero', 'batchnorm-batch-size-one', 'dropout-too-high', 'no-early-stopping']);
type Expected = Record<string, { rule: string; severity: string; line: number; column: number; message: string }[]>;
const EXPECTED = JSON.parse(fs.readFileSync(path.join(ROOT, 'expected.json'), 'utf8')) as Expected;

describe('hyperparameter fixture scripts', () => {
  it('lists every fixture script in expected.json', () => {
    const files = fs.readdirSync(ROOT, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.py')).sort();
    assert.deepEqual(Object.keys(EXPECTED).sort(), files);
  });

  for (const [file, expected] of Object.entries(EXPECTED)) {
    it(`${file}: ${expected.length ? expected.map((e) => `${e.rule}@${e.line}`).join(', ') : 'no findings'}`, async () => {
      const full = path.join(ROOT, file);
      const result = await (await engine()).checkPython(full, fs.readFileSync(full, 'utf8'), { roots: [ROOT] });
      assert.deepEqual(result.ruleErrors, []);
      assert.deepEqual(
        result.findings
          .filter((f) => RULES.has(f.rule))
          .map((f) => ({ rule: f.rule, severity: f.severity, line: f.range.start.line + 1, column: f.range.start.character + 1, message: f.message })),
        expected,
      );
    });
  }
});
