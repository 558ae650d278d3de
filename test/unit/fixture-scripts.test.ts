import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { applyEdits } from '../support/edits';
import { engine, FIXTURES } from '../support/engine';

/**
 * Scripts written like real projects (argparse CIFAR training, Lightning, HF Trainer and plain
 * loops, Keras Sequential/functional, tf.data, exported notebooks, JAX, workspace seeding helpers),
 * each with its exact expected findings — including the files that must have none.
 */
const ROOT = path.join(FIXTURES, 'seeding');
type Expected = Record<string, { rule: string; line: number; column: number; message: string }[]>;
const EXPECTED = JSON.parse(fs.readFileSync(path.join(ROOT, 'expected.json'), 'utf8')) as Expected;

function pythonFilesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.py')).sort();
}

describe('fixture scripts mirroring real projects', () => {
  it('lists every fixture script in expected.json', () => {
    assert.deepEqual(Object.keys(EXPECTED).sort(), pythonFilesUnder(ROOT));
  });

  for (const [file, expected] of Object.entries(EXPECTED)) {
    it(`${file}: ${expected.length ? expected.map((e) => `${e.rule}@${e.line}`).join(', ') : 'no findings'}`, async () => {
      const full = path.join(ROOT, file);
      const result = await (await engine()).checkPython(full, fs.readFileSync(full, 'utf8'), { roots: [ROOT] });
      assert.deepEqual(
        result.findings.map((f) => ({ rule: f.rule, line: f.range.start.line + 1, column: f.range.start.character + 1, message: f.message })),
        expected,
      );
    });
  }

  // Seeding torch makes the two info rules about seeded scripts applicable; they may appear after the fix.
  const SEEDED_ONLY = new Set(['dataloader-workers-unseeded', 'cudnn-benchmark-nondeterministic']);
  for (const [file, expected] of Object.entries(EXPECTED).filter(([, e]) => e.some((x) => x.rule === 'unset-seed'))) {
    it(`${file}: the seeding quick fix removes unset-seed, keeps the code parseable and adds no other warning`, async () => {
      const full = path.join(ROOT, file);
      const text = fs.readFileSync(full, 'utf8');
      const check = async (source: string) => (await engine()).checkPython(full, source, { roots: [ROOT] });
      const before = await check(text);
      const finding = before.findings.find((f) => f.rule === 'unset-seed')!;
      const after = await check(applyEdits(text, finding.fixes![0].edits));
      assert.equal(after.syntaxErrors, before.syntaxErrors);
      assert.deepEqual(
        after.findings.map((f) => f.rule).filter((rule) => !SEEDED_ONLY.has(rule)),
        expected.map((e) => e.rule).filter((rule) => rule !== 'unset-seed' && !SEEDED_ONLY.has(rule)),
      );
    });
  }
});
