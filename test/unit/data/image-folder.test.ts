import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { countImageFolder } from '../../../src/engine/data/image-folder';
import { DATA_FIXTURES } from './helpers';

// Zero-byte image files: the count looks only at names (see images/README.md).
const flowers = path.join(DATA_FIXTURES, 'images/flowers/train');

describe('image folders', () => {
  it('counts what torchvision ImageFolder loads: its extensions, any case, links followed, a loop back up skipped', async () => {
    const result = await countImageFolder(flowers, 'torchvision');
    // daisy: .jpg .JPG .png .png .jpeg .webp; rose: 2 .png + more/c.bmp (notes.txt is no image);
    // tulip: b.png and the 6 images behind its link to daisy (.gif is not an ImageFolder extension).
    assert.deepEqual(result?.classCounts, { daisy: 6, rose: 3, tulip: 7 });
    assert.equal(result?.total, 16);
    assert.equal(result?.loopsSkipped, 1);
  });

  it('counts what keras image_dataset_from_directory loads: .gif but not .webp, links not followed', async () => {
    const result = await countImageFolder(flowers, 'keras');
    assert.deepEqual(result?.classCounts, { daisy: 5, rose: 3, tulip: 2 });
    assert.equal(result?.loopsSkipped, 0);
  });

  it('counts what flow_from_directory loads: neither .gif nor .webp', async () => {
    const result = await countImageFolder(flowers, 'kerasGenerator');
    assert.deepEqual(result?.classCounts, { daisy: 5, rose: 3, tulip: 1 });
  });

  it('stops at its entry bound and says the counts are lower bounds', async () => {
    const result = await countImageFolder(flowers, 'torchvision', { maxEntries: 4 });
    assert.equal(result?.truncated, true);
    assert.ok(result!.total <= 4);
  });

  it('returns nothing for a missing folder or a file', async () => {
    assert.equal(await countImageFolder(path.join(DATA_FIXTURES, 'images/no-such-folder'), 'torchvision'), undefined);
    assert.equal(await countImageFolder(path.join(DATA_FIXTURES, 'images/README.md'), 'keras'), undefined);
  });

  it('finds no classes in a folder without subfolders', async () => {
    const result = await countImageFolder(path.join(DATA_FIXTURES, 'images/empty'), 'keras');
    assert.deepEqual(result?.classCounts, {});
    assert.equal(result?.total, 0);
  });
});
