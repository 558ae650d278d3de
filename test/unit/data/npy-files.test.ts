import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { parseNpyHeader, readNpyFile } from '../../../src/engine/data/npy-header';
import { readNpzMembers } from '../../../src/engine/data/npz-members';
import { loadPythonParser } from '../../../src/engine/python/parser';
import { DATA_FIXTURES } from './helpers';

const arrays = (name: string) => path.join(DATA_FIXTURES, 'arrays', name);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dl-doctor-npy-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('.npy headers (files written by Debian numpy, see arrays/make_arrays.py)', () => {
  it('reads shape and dtype of a version 1.0 file', async () => {
    const result = await readNpyFile(arrays('images.npy'), await loadPythonParser());
    assert.ok(result.ok);
    assert.deepEqual(result.header.shape, [120, 1, 4, 4]);
    assert.equal(result.header.descr, '<f4');
    assert.equal(result.header.itemSize, 4);
  });

  it('reads a version 2.0 header (uint32 length)', async () => {
    const result = await readNpyFile(arrays('v2.npy'), await loadPythonParser());
    assert.ok(result.ok);
    assert.deepEqual(result.header.shape, [7, 5]);
  });

  it('refuses a header that declares 10**9 elements the file does not hold, without allocating them', async () => {
    const result = await readNpyFile(arrays('lying.npy'), await loadPythonParser());
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.error : '', /declares shape \(1000000000,\) of <f8: 8,000,000,000 data bytes, the file has 80/);
  });

  it('refuses a file without the magic, a truncated header and a header that is not a dict', async () => {
    const parser = await loadPythonParser();
    const notNpy = path.join(dir, 'not.npy');
    fs.writeFileSync(notNpy, 'x,y\n1,2\n');
    const a = await readNpyFile(notNpy, parser);
    assert.equal(!a.ok && a.error, 'not a .npy file (no \\x93NUMPY magic)');
    const full = fs.readFileSync(arrays('labels.npy'));
    const cut = path.join(dir, 'cut.npy');
    fs.writeFileSync(cut, full.subarray(0, 40));
    const b = await readNpyFile(cut, parser);
    assert.match(!b.ok ? b.error : '', /^truncated \.npy file: its header needs 128 bytes, the file has 40$/);
    const header = Buffer.from("__import__('os')   \n");
    const evil = Buffer.concat([Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length, 0]), header]);
    const c = parseNpyHeader(evil, parser);
    assert.deepEqual(c, { ok: false, error: 'the .npy header is not a Python dict literal' });
  });

  it('lists every member of an .npz archive with its shape, compressed or not', async () => {
    const parser = await loadPythonParser();
    const split = await readNpzMembers(arrays('split.npz'), parser);
    assert.deepEqual(split.map((m) => [m.key, m.header?.shape]), [['x_train', [100, 4]], ['y_train', [100]], ['x_test', [20, 4]], ['y_test', [20]]]);
    const packed = await readNpzMembers(arrays('packed.npz'), parser);
    assert.deepEqual(packed.map((m) => [m.key, m.header?.shape]), [['x', [64, 2, 3]], ['y', [64]]]);
  });

  it('rejects a file that is not a zip archive with an error, not a crash', async () => {
    await assert.rejects(readNpzMembers(arrays('images.npy'), await loadPythonParser()), /zip archive/);
  });
});
