import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadPythonParser } from '../../src/engine/python/parser';
import { PythonFile } from '../../src/engine/python/python-file';
import { py } from '../support/engine';

async function parse(source: string): Promise<PythonFile> {
  const parser = await loadPythonParser();
  return new PythonFile('/w/train.py', source, parser.parse(source), {
    roots: ['/w'],
    reader: { read: () => undefined },
    parser,
    memo: new Map(),
  });
}

function callNamed(file: PythonFile, text: string) {
  const call = file.calls.find((c) => c.text.startsWith(text));
  assert.ok(call, `no call starting with ${text}`);
  return call;
}

describe('semantic layer', () => {
  it('resolves every import form to a dotted name', async () => {
    const file = await parse(py`
      import torch as T
      import torch.nn
      from numpy import random as npr
      import tensorflow.keras as k
      from .utils.seed import set_all
      T.manual_seed(1)
      torch.nn.Linear(2, 2)
      npr.seed(3)
      k.layers.Dense(4)
      set_all(5)
      T.Generator().manual_seed(6)
      unknown.thing(7)
    `);
    assert.deepEqual(
      file.calls.map((c) => file.calleeName(c) ?? null),
      ['torch.manual_seed', 'torch.nn.Linear', 'numpy.random.seed', 'tensorflow.keras.layers.Dense', '.utils.seed.set_all', 'torch.Generator().manual_seed', 'torch.Generator', null],
    );
  });

  it('evaluates constants, argparse defaults and arithmetic, and says where a value came from', async () => {
    const file = await parse(py`
      import argparse
      BATCH = 32
      STEPS = BATCH * 4 - 1
      def get_args():
          p = argparse.ArgumentParser()
          p.add_argument("--num-workers", type=int, default=2 ** 3)
          p.add_argument("--amp", action="store_true")
          return p.parse_args()
      args = get_args()
      use(STEPS, args.num_workers, args.amp, int(args.num_workers / 3), args.missing, 1e-3)
    `);
    const args = file.positionalArguments(callNamed(file, 'use('));
    assert.deepEqual(
      args.map((a) => file.evaluate(a) ?? null),
      [
        { value: 127, via: 'BATCH (line 2)' },
        { value: 8, via: '--num-workers default (line 6)' },
        { value: false, via: '--amp default (line 7)' },
        { value: 2, via: '--num-workers default (line 6)' },
        null,
        { value: 0.001 },
      ],
    );
  });

  it('treats a name bound twice at module level as unknown', async () => {
    const file = await parse('LR = 0.1\nLR = 0.2\nuse(LR)\n');
    assert.equal(file.evaluate(file.positionalArguments(callNamed(file, 'use('))[0]), undefined);
  });

  it('reports positions in UTF-16 code units, as editors count them', async () => {
    const file = await parse('label = "é😀"; import torch\ntorch.rand(1)\nx = "😀"; torch.randn(2)\n');
    const call = callNamed(file, 'torch.randn');
    assert.deepEqual(file.range(call).start, { line: 2, character: 10 });
  });
});
