import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { RunCache } from '../../../src/engine/logs/linked-runs';

const HEADER = 'epoch,loss,val_loss\n';
const row = (epoch: number) => `${epoch},${(1 / (epoch + 1)).toFixed(4)},${(0.5 + epoch / 100).toFixed(4)}\n`;

describe('RunCache: the reads the language server and the script checks share', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dl-doctor-run-cache-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const valLoss = async (cache: RunCache, file: string) => {
    const read = await cache.read(file, dir);
    assert.ok(read.ok, read.ok ? '' : read.error);
    return read.run.series.find((s) => s.name === 'val_loss')!.points.map((p) => p.step);
  };

  it('follows a log as training appends to it, and starts over when it is rewritten shorter', async () => {
    const file = path.join(dir, 'training.log');
    fs.writeFileSync(file, HEADER + row(0) + row(1));
    const cache = new RunCache();
    assert.deepEqual(await valLoss(cache, file), [0, 1]);
    // Unchanged on disk: the same read, not a new one.
    assert.equal(cache.read(file, dir), cache.read(file, dir));
    fs.appendFileSync(file, row(2) + row(3));
    assert.deepEqual(await valLoss(cache, file), [0, 1, 2, 3]);
    fs.appendFileSync(file, row(4));
    assert.deepEqual(await valLoss(cache, file), [0, 1, 2, 3, 4]);
    // A new run overwrites the log with fewer rows.
    fs.writeFileSync(file, HEADER + row(0));
    assert.deepEqual(await valLoss(cache, file), [0]);
  });

  it('names the file when it is gone', async () => {
    const read = await new RunCache().read(path.join(dir, 'missing.log'), dir);
    assert.ok(!read.ok);
    assert.match(read.error, /missing\.log: cannot read: ENOENT/);
  });
});
