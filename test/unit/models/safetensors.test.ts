import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readSafetensors } from '../../../src/engine/models/safetensors/read-safetensors';
import { computeWeightStats } from '../../../src/engine/models/weights/weight-stats';
import { FIXTURES } from '../../support/engine';

const DIR = path.join(FIXTURES, 'models/safetensors');
// Laid out from real PyTorch state dicts by test/fixtures/models/generate_safetensors.py.
const EXPECTED = JSON.parse(fs.readFileSync(path.join(DIR, 'expected.json'), 'utf8')) as Record<string, { parameters: number; tensors: number; dtypes: Record<string, number> }>;

/** A safetensors file from a header object and a data length, as the format lays it out. */
function build(header: unknown, dataBytes: number, declaredLength?: number): Buffer {
  const json = Buffer.from(typeof header === 'string' ? header : JSON.stringify(header));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(declaredLength ?? json.length));
  return Buffer.concat([length, json, Buffer.alloc(dataBytes)]);
}

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

  describe('malformed files get an error naming what is wrong', () => {
    let dir: string;
    before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dl-doctor-st-'))));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const error = (bytes: Buffer) => {
      const file = path.join(dir, 'x.safetensors');
      fs.writeFileSync(file, bytes);
      const result = readSafetensors(file);
      assert.equal(result.ok, false);
      return result.ok ? '' : result.error;
    };
    const tensor = (dtype: string, shape: number[], offsets: number[]) => ({ dtype, shape, data_offsets: offsets });

    it('is truncated at every structural boundary of a real file', () => {
      const whole = fs.readFileSync(path.join(DIR, 'mlp.safetensors'));
      const headerLength = Number(whole.readBigUInt64LE(0));
      assert.match(error(whole.subarray(0, 5)), /^truncated: 5 bytes, the 8-byte header length alone needs 8$/);
      assert.match(error(whole.subarray(0, 8 + headerLength - 1)), new RegExp(`^truncated header: declares ${headerLength} bytes, file has ${headerLength - 1} after the length$`));
      assert.match(error(whole.subarray(0, 8 + headerLength + 100)), /^truncated data: tensors need 2704 bytes, file has 100$/);
      assert.match(error(whole.subarray(0, whole.length - 1)), /^truncated data: tensors need 2704 bytes, file has 2703$/);
    });

    const cases: [string, Buffer, RegExp][] = [
      ['a header length beyond the limit', build({}, 0, 2 ** 40), /^header declares 1099511627776 bytes, above the 104857600-byte limit$/],
      ['a header that is not JSON', build('{"a": ', 0), /^header is not valid JSON/],
      ['a header that is an array', build([], 0), /^header is not a JSON object$/],
      ['an unknown dtype', build({ w: tensor('F33', [2], [0, 8]) }, 8), /^tensor 'w' has unknown dtype "F33"$/],
      ['a negative dimension', build({ w: tensor('F32', [-2], [0, 8]) }, 8), /^tensor 'w' has an invalid shape \[-2\]$/],
      ['offsets in the wrong order', build({ w: tensor('F32', [2], [8, 0]) }, 8), /^tensor 'w' has invalid data_offsets \[8,0\]$/],
      ['a size that does not match the shape', build({ w: tensor('F32', [3], [0, 8]) }, 8), /^tensor 'w' holds 8 bytes but F32\[3\] needs 12$/],
      ['overlapping tensors', build({ a: tensor('F32', [2], [0, 8]), b: tensor('F32', [2], [4, 12]) }, 12), /^tensor 'b' overlaps the tensor before it \(starts at 4, previous ends at 8\)$/],
      ['a gap between tensors', build({ a: tensor('F32', [2], [0, 8]), b: tensor('F32', [2], [12, 20]) }, 20), /^gap in the data before tensor 'b' \(bytes 8\.\.12 belong to no tensor\)$/],
      ['bytes after the last tensor', build({ a: tensor('F32', [2], [0, 8]) }, 12), /^4 bytes after the last tensor belong to no tensor$/],
      ['a shape with more than 64 dimensions', build({ a: tensor('F32', new Array(65).fill(1), [0, 4]) }, 4), /^tensor 'a' has an invalid shape/],
    ];
    for (const [what, bytes, expected] of cases) {
      it(`has ${what}`, () => assert.match(error(bytes), expected));
    }
  });
});
