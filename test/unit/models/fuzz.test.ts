import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isModelPath } from '../../../src/engine/models/model-files';
import { engine, FIXTURES } from '../../support/engine';
import { prng } from '../../bench/corpus';

/**
 * Mutation fuzzing of every model reader: each fixture model file, mutated many times (bit flips,
 * byte overwrites with boundary values, truncations, duplicated slices), must give a summary or a
 * clear finding — never an exception, never a hang. Deterministic (seeded) and time-budgeted.
 */
const BUDGET_MS = Number(process.env.DL_DOCTOR_FUZZ_MS ?? 25_000);
// HDF5 reads time out after 10 s in their worker (a corrupt file can make the library loop).
const PER_CALL_MS = 15_000;
const BOUNDARY = [0x00, 0xff, 0x7f, 0x80, 0x01, 0xfe];

function modelFixtures(): string[] {
  const root = path.join(FIXTURES, 'models');
  return fs
    .readdirSync(root, { recursive: true, encoding: 'utf8' })
    .map((f) => path.join(root, f))
    // The zip bomb is left out: mutating its declared size would make every run inflate megabytes.
    .filter((f) => fs.statSync(f).isFile() && isModelPath(f) && !f.includes(`${path.sep}malformed${path.sep}`))
    .sort();
}

function mutate(bytes: Buffer, rand: () => number): Buffer {
  const copy = Buffer.from(bytes);
  const pick = (n: number) => Math.floor(rand() * n);
  switch (pick(4)) {
    case 0: // flip a few bits
      for (let i = 0; i < 1 + pick(8); i++) copy[pick(copy.length)] ^= 1 << pick(8);
      return copy;
    case 1: // overwrite a run with a boundary value (lengths and counts become huge or zero)
      {
        const start = pick(copy.length);
        copy.fill(BOUNDARY[pick(BOUNDARY.length)], start, Math.min(copy.length, start + 1 + pick(8)));
      }
      return copy;
    case 2: // truncate
      return copy.subarray(0, pick(copy.length));
    default: {
      // duplicate a slice in place (shifts every offset after it)
      const start = pick(copy.length);
      return Buffer.concat([copy.subarray(0, start), copy.subarray(start, start + 1 + pick(64)), copy.subarray(start)]);
    }
  }
}

describe('model readers under mutation fuzzing', () => {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dl-doctor-fuzz-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it(`never throw or hang on mutated fixtures (${BUDGET_MS / 1000} s budget)`, async () => {
    const fixtures = modelFixtures();
    assert.ok(fixtures.length >= 20, `found ${fixtures.length} fixtures`);
    const rand = prng(424242);
    const deadline = Date.now() + BUDGET_MS;
    const checker = await engine();
    let runs = 0;
    let unreadable = 0;
    while (Date.now() < deadline) {
      for (const fixture of fixtures) {
        if (Date.now() >= deadline) break;
        // Keep the name (readers are chosen by it) in a per-run folder (TF.js shards sit next to model.json).
        const folder = path.join(dir, String(runs));
        fs.mkdirSync(folder);
        const target = path.join(folder, path.basename(fixture));
        fs.writeFileSync(target, mutate(fs.readFileSync(fixture), rand));
        for (const sibling of fs.readdirSync(path.dirname(fixture))) {
          if (sibling !== path.basename(fixture) && !fs.existsSync(path.join(folder, sibling))) fs.copyFileSync(path.join(path.dirname(fixture), sibling), path.join(folder, sibling));
        }
        const started = Date.now();
        if (process.env.DL_DOCTOR_FUZZ_TRACE) fs.appendFileSync('/tmp/fuzz-trace.log', `${runs} ${fixture}\n`);
        let timer: NodeJS.Timeout | undefined;
        const result = await Promise.race([
          checker.checkModelFile(target),
          new Promise<'hang'>((resolve) => (timer = setTimeout(() => resolve('hang'), PER_CALL_MS))),
        ]);
        clearTimeout(timer);
        assert.notEqual(result, 'hang', `reading a mutation of ${path.relative(FIXTURES, fixture)} did not finish in ${PER_CALL_MS} ms (kept at ${target})`);
        if (result && result !== 'hang') {
          assert.deepEqual(result.ruleErrors, [], `rules threw on a mutation of ${fixture}`);
          if (result.findings.some((f) => f.rule === 'model-file-unreadable')) {
            unreadable++;
            assert.match(result.findings.find((f) => f.rule === 'model-file-unreadable')!.message, /^Cannot read this model file(: |'s weights: ).+\./);
          }
        }
        fs.rmSync(folder, { recursive: true, force: true });
        runs++;
        assert.ok(Date.now() - started < PER_CALL_MS);
      }
    }
    assert.ok(runs >= 100, `only ${runs} mutated files were read within the budget`);
    assert.ok(unreadable > 0, 'some mutations must be reported as unreadable');
  });
});
