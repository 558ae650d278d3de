import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buf as referenceCrc32c } from 'crc-32/crc32c';
import { crc32c } from '../../../src/engine/logs/tensorboard/crc32c';

describe('CRC-32C (slicing-by-8)', () => {
  it('gives the RFC 3720 §B.4 values, also for a range inside a larger buffer', () => {
    const ascending = Buffer.from(Array.from({ length: 32 }, (_, i) => i));
    const vectors: [Buffer, number][] = [
      [Buffer.alloc(32, 0), 0x8a9136aa],
      [Buffer.alloc(32, 0xff), 0x62a8ab43],
      [ascending, 0x46dd794e],
      [Buffer.from(ascending).reverse(), 0x113fdb5c],
    ];
    for (const [bytes, expected] of vectors) {
      assert.equal(crc32c(bytes), expected);
      // Misaligned: 3 bytes of noise before and 5 after.
      const padded = Buffer.concat([Buffer.from([7, 8, 9]), bytes, Buffer.from([1, 2, 3, 4, 5])]);
      assert.equal(crc32c(padded, 3, 3 + bytes.length), expected);
    }
    // The catalogue check value of CRC-32C (CRC of the ASCII digits "123456789").
    assert.equal(crc32c(Buffer.from('123456789')), 0xe3069283);
    assert.equal(crc32c(Buffer.alloc(0)), 0);
  });

  it('agrees with the byte-at-a-time crc-32 package for every length 0–300 (all tail sizes)', () => {
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
    for (let length = 0; length <= 300; length++) {
      const bytes = Buffer.from(Array.from({ length }, random));
      assert.equal(crc32c(bytes), referenceCrc32c(bytes) >>> 0, `length ${length}`);
    }
  });
});
