import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { readGguf } from '../../../src/engine/models/gguf/read-gguf';
import { FIXTURES } from '../../support/engine';

const DIR = path.join(FIXTURES, 'models/gguf');
// Laid out per the GGUF specification by test/fixtures/models/generate_gguf.py.
const EXPECTED = JSON.parse(fs.readFileSync(path.join(DIR, 'expected.json'), 'utf8')) as Record<string, { parameters: number; tensors: number }>;

describe('GGUF reader', () => {
  it('reads parameters, tensors and their ggml types', async () => {
    const result = await readGguf(path.join(DIR, 'tiny-llama.gguf'));
    assert.ok(result.ok, result.ok ? '' : result.error);
    assert.equal(result.summary.parameters, EXPECTED['tiny-llama.gguf'].parameters);
    assert.deepEqual(
      result.summary.tensors.map((t) => [t.name, t.shape, t.dtype]),
      [
        ['token_embd.weight', [8, 32], 'float32'],
        ['blk.0.attn_q.weight', [8, 8], 'float16'],
        ['blk.0.ffn_up.weight', [32, 4], 'Q8_0'],
        ['output_norm.weight', [8], 'float32'],
      ],
    );
    assert.deepEqual(result.summary.dtypes, { float32: 264, float16: 64, Q8_0: 128 });
  });
});
