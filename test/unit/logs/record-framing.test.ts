import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RecordFraming } from '../../../src/engine/logs/tensorboard/record-framing';
import { fileVersionEvent, scalarEvent } from '../../support/tfevents';

/** The records (as hex) and problems framing finds when `stream` arrives `chunk` bytes at a time. */
function frame(stream: Buffer, chunk: number): { records: string[]; offsets: number[]; problems: string[]; offset: number; pending: number } {
  const records: string[] = [];
  const offsets: number[] = [];
  const framing = new RecordFraming((data, offset) => {
    records.push(data.toString('hex'));
    offsets.push(offset);
  });
  // One reused chunk buffer, as readFileChunks hands them over.
  const reused = Buffer.alloc(chunk);
  for (let at = 0; at < stream.length; at += chunk) {
    const n = stream.copy(reused, 0, at, Math.min(stream.length, at + chunk));
    framing.push(reused.subarray(0, n));
  }
  return { records, offsets, problems: framing.problems, offset: framing.offset, pending: framing.pendingBytes() };
}

describe('TFRecord framing across chunk boundaries', () => {
  it('finds the same records, offsets and problems whatever the chunk size', () => {
    const corrupt = scalarEvent({ step: 2, tag: 'loss', value: 0.5 });
    corrupt[corrupt.length - 1] ^= 0xff; // the data's checksum no longer matches
    const stream = Buffer.concat([
      fileVersionEvent(),
      scalarEvent({ step: 1, tag: 'loss', value: 1 }),
      corrupt,
      ...Array.from({ length: 20 }, (_, i) => scalarEvent({ step: 3 + i, tag: i % 2 ? 'train/accuracy' : 'loss', value: i / 7 })),
      scalarEvent({ step: 99, tag: 'loss', value: 9 }).subarray(0, 20), // a record still being written
    ]);
    const whole = frame(stream, stream.length);
    assert.equal(whole.records.length, 22);
    assert.equal(whole.problems.length, 1);
    assert.match(whole.problems[0], /data's checksum does not match/);
    assert.equal(whole.pending, 20);
    for (const chunk of [1, 3, 7, 12, 13, 50, 101]) assert.deepEqual(frame(stream, chunk), whole, `chunk ${chunk}`);
  });

  it('stops at a bad length checksum whatever the chunk size', () => {
    const bad = scalarEvent({ step: 2, tag: 'loss', value: 0.5 });
    bad[9] ^= 0xff; // the length's checksum
    const stream = Buffer.concat([scalarEvent({ step: 1, tag: 'loss', value: 1 }), bad, scalarEvent({ step: 3, tag: 'loss', value: 1 })]);
    const whole = frame(stream, stream.length);
    assert.equal(whole.records.length, 1);
    assert.match(whole.problems[0], /the length's checksum does not match/);
    for (const chunk of [1, 5, 12, 17]) assert.deepEqual(frame(stream, chunk), whole, `chunk ${chunk}`);
  });
});
