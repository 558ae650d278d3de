import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineSplitter } from '../../../src/engine/logs/csv-text';

/** The lines a splitter gives for `text` pushed `chunk` bytes at a time, plus the pending tail. */
function lines(text: string, chunk: number): string[] {
  const bytes = Buffer.from(text, 'utf8');
  const out: string[] = [];
  const splitter = new LineSplitter((line, n) => out.push(`${n}:${line}`));
  for (let at = 0; at < bytes.length; at += chunk) splitter.push(bytes.subarray(at, at + chunk));
  const pending = splitter.pending();
  if (pending) out.push(`${pending.lineNumber}:${pending.line}`);
  return out;
}

describe('CSV line splitting', () => {
  it('decodes ASCII and UTF-8 alike, also when a character is cut between chunks after ASCII ones', () => {
    const text = 'epoch,loss\r\n0,0.5\r\n1,0.25\r\nepoch,loss,précision_µ\r\n2,0.125,0.9\r\n3,0.1,0.95';
    const expected = ['1:epoch,loss', '2:0,0.5', '3:1,0.25', '4:epoch,loss,précision_µ', '5:2,0.125,0.9', '6:3,0.1,0.95'];
    for (let chunk = 1; chunk <= 40; chunk++) assert.deepEqual(lines(text, chunk), expected, `chunk ${chunk}`);
  });
});
