import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { readSafetensors } from '../../../src/engine/models/safetensors/read-safetensors';
import { computeWeightStats } from '../../../src/engine/models/weights/weight-stats';
import { FIXTURES } from '../../support/engine';

const DIR = path.join(FIXTURES, 'models/safetensors');
// Laid out from real PyTorch state dicts by test/fixtures/models/generate_safetensors.py.
const EXPECTED = JSON.parse(fs.readFileSync(path.join(DIR, 'expected.json'), 'utf8')) as Record<string, { parameters: number; tensors: number; dtypes: Record<string, number> }>;

describe('safetensors reader', () => {
  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(`${name}: ${expected.parameters} parameters in ${expected.tensors} tensors`, () => {
      const result = readSafetensors(path.join(DIR, name));
      assert.ok(result.ok, result.ok ? '' : result.error);
      assert.equal(result.summary.format, 'safetensors');
      assert.equal(result.summary.parameters, expected.parameters);
      assert.equal(result.summary.tensors.length, expected.tensors);
      assert.deepEqual(result.summary.dtypes, expected.dtypes);
    });
  }

  for (const [name, expected] of Object.entries(EXPECTED).filter(([, e]) => 'stats' in e)) {
    it(`${name}: half-precision weights decode to the values PyTorch holds`, async () => {
      const result = readSafetensors(path.join(DIR, name));
      assert.ok(result.ok);
      const stats = await computeWeightStats(result.summary);
      for (const [tensor, want] of Object.entries((expected as unknown as { stats: Record<string, { min: number; max: number; mean: number }> }).stats)) {
        const got = stats!.tensors[tensor];
        for (const key of ['min', 'max', 'mean'] as const) assert.ok(Math.abs(got[key] - want[key]) < 1e-9, `${tensor}.${key}: ${got[key]} vs ${want[key]}`);
      }
    });
  }
});
