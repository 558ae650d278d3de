import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { engine, py } from '../support/engine';

describe('model files a script loads', () => {
  let root: string;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'dl-doctor-refs-'));
    fs.mkdirSync(path.join(root, 'ckpt'));
    fs.mkdirSync(path.join(root, 'scripts'));
    fs.writeFileSync(path.join(root, 'ckpt', 'best.pt'), 'x');
    fs.writeFileSync(path.join(root, 'scripts', 'local.safetensors'), 'x');
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('resolves literal, constant and argparse-default paths against the workspace and the script folder', async () => {
    const script = path.join(root, 'scripts', 'eval.py');
    const source = py`
      import argparse
      import torch
      from safetensors.torch import load_file
      CKPT = "ckpt/best.pt"
      parser = argparse.ArgumentParser()
      parser.add_argument("--weights", default="local.safetensors")
      args = parser.parse_args()
      a = torch.load("ckpt/best.pt")
      b = torch.load(CKPT, map_location="cpu")
      c = load_file(args.weights)
      d = torch.load("ckpt/missing.pt")
      e = torch.load(some_path)
    `;
    const refs = (await engine()).modelReferences(script, source, { roots: [root] });
    assert.deepEqual(
      refs.map((r) => [r.range.start.line, path.relative(root, r.file)]),
      [
        [7, 'ckpt/best.pt'],
        [8, 'ckpt/best.pt'],
        [9, 'scripts/local.safetensors'],
      ],
    );
  });
});
