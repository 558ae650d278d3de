import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCell } from '../../../src/engine/logs/csv-text';
import { plainDecimal } from '../../../src/engine/logs/plain-decimal';

/** Same bits as Number(text) (Object.is tells -0 from 0 and NaN from NaN). */
function assertExact(text: string): void {
  const quick = plainDecimal(text);
  if (quick !== undefined) assert.ok(Object.is(quick, Number(text)), `${text}: ${quick} !== ${Number(text)}`);
  const cell = parseCell(text);
  if (typeof cell === 'number' && !Number.isNaN(Number(text))) assert.ok(Object.is(cell, Number(text)), `parseCell(${text}): ${cell} !== ${Number(text)}`);
}

/** A deterministic pseudo-random generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('plainDecimal', () => {
  it('reads what loggers write for epochs, steps and learning rates exactly as Number() does', () => {
    for (const text of ['0', '7', '42', '1000000', '0.001', '0.0001', '0.0003', '0.1', '0.2', '0.3', '0.7', '1.5', '-2.25', '+5', '5.', '.5', '-.5', '00012', '-0012.50']) {
      const quick = plainDecimal(text);
      assert.notEqual(quick, undefined, text);
      assert.ok(Object.is(quick, Number(text)), text);
    }
  });

  it('keeps the sign of negative zero', () => {
    assert.ok(Object.is(plainDecimal('-0'), -0));
    assert.ok(Object.is(plainDecimal('-0.0'), -0));
    assert.ok(Object.is(plainDecimal('0.0'), 0));
    assert.ok(Object.is(parseCell('-0.0'), -0));
  });

  it('leaves to Number() what it cannot read exactly: 16+ digits, exponents, spaces, specials, radix prefixes', () => {
    for (const text of ['0.9999546000453999', '1234567890123456', '0.1234567890123456', '1e-5', '2.5E3', ' 1', '1 ', 'nan', 'inf', '-inf', 'NA', '', '-', '+', '.', '..', '1.2.3', '0x10', '0b1', '0o7', '1_000', '--1', '1-']) {
      assert.equal(plainDecimal(text), undefined, JSON.stringify(text));
      assertExact(text);
    }
    assert.ok(Number.isNaN(parseCell('nan')));
    assert.equal(parseCell('-inf'), -Infinity);
    assert.equal(parseCell('NA'), null);
    assert.equal(parseCell('0x10'), undefined);
  });

  it('takes exactly 15 digits, the most whose integer stays below 2^53', () => {
    assert.equal(plainDecimal('999999999999999'), 999999999999999);
    assert.equal(plainDecimal('0.99999999999999'), Number('0.99999999999999')); // 15 digits with the leading 0
    assert.equal(plainDecimal('9999999999999999'), undefined);
    assert.equal(plainDecimal('0.999999999999999'), undefined); // 16 digits
  });

  it('equals Number() bit for bit over 200,000 random decimals of 1 to 17 digits, in every position of the point', () => {
    const next = random(20261202);
    let quick = 0;
    for (let n = 0; n < 200_000; n++) {
      const count = 1 + Math.floor(next() * 17);
      let digits = '';
      for (let i = 0; i < count; i++) digits += String(Math.floor(next() * 10));
      const point = Math.floor(next() * (count + 1));
      let text = point === count ? digits : `${digits.slice(0, point)}.${digits.slice(point)}`;
      if (next() < 0.3) text = `-${text}`;
      if (plainDecimal(text) !== undefined) quick++;
      assertExact(text);
    }
    assert.ok(quick > 100_000, `the fast path read ${quick} of 200,000`);
  });

  it('equals Number() on the shortest spellings of random doubles and of float32 values (what Python writes)', () => {
    const next = random(7);
    const f32 = new Float32Array(1);
    for (let n = 0; n < 100_000; n++) {
      const x = (next() - 0.5) * 10 ** Math.floor(next() * 12 - 6);
      f32[0] = x;
      assertExact(String(x));
      assertExact(String(f32[0]));
      assertExact(x.toFixed(Math.floor(next() * 10)));
    }
  });
});
