import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readGguf } from '../../../src/engine/models/gguf/read-gguf';
import { engine, FIXTURES } from '../../support/engine';

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

  describe('malformed files', () => {
    let dir: string;
    before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dl-doctor-gguf-'))));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const unreadable = async (name: string, bytes: Uint8Array) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, bytes);
      const result = await (await engine()).checkModelFile(file);
      assert.deepEqual(result?.findings.map((f) => f.rule), ['model-file-unreadable'], name);
      return result!.findings[0].message;
    };

    it('truncated at every structural boundary', async () => {
      const whole = fs.readFileSync(path.join(DIR, 'tiny-llama.gguf'));
      // magic, version, counts, inside the metadata, inside the tensor infos
      for (const cut of [2, 6, 20, 60, 200, 300, whole.length - 10]) {
        assert.match(await unreadable(`cut-${cut}.gguf`, whole.subarray(0, cut)), /^Cannot read this model file: (truncated: \d+ bytes, the fixed GGUF header needs 24|not a valid GGUF file: )/, `cut at ${cut}`);
      }
    });

    it('with a wrong magic number or an absurd tensor count', async () => {
      assert.match(await unreadable('magic.gguf', Buffer.from('GGML\x03\0\0\0' + '\0'.repeat(16), 'latin1')), /not a valid GGUF file/);
      const hostile = Buffer.alloc(24);
      hostile.write('GGUF', 0);
      hostile.writeUInt32LE(3, 4);
      hostile.writeBigUInt64LE(1n << 40n, 8);
      assert.match(await unreadable('count.gguf', hostile), /Tensor count 1099511627776 exceeds maximum allowed/);
    });
  });
});
