import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_LIMITS } from '../../src/engine/config';
import { decodeSource } from '../../src/engine/source-files';
import { checkSource } from '../support/engine';

describe('bad input', () => {
  it('refuses binary content with a reason that says so', () => {
    const result = decodeSource(Uint8Array.from([0x69, 0x6d, 0x00, 0x01, 0xff]), DEFAULT_LIMITS.maxFileBytes);
    assert.deepEqual(result, { reason: 'file contains NUL bytes: binary, not Python source' });
  });

  it('refuses non-UTF-8 text instead of guessing an encoding', () => {
    const latin1 = Buffer.from('# caf\xe9\nimport random\n', 'latin1');
    const result = decodeSource(latin1, DEFAULT_LIMITS.maxFileBytes);
    assert.match((result as { reason: string }).reason, /not valid UTF-8/);
  });

  it('refuses files over the size limit, naming both sizes and the setting', () => {
    const result = decodeSource(new Uint8Array(5 * 1024 * 1024).fill(0x20), DEFAULT_LIMITS.maxFileBytes);
    assert.equal((result as { reason: string }).reason, 'file is 5.0 MB, above the 2.0 MB limit (dlDoctor.maxFileSizeMB)');
  });

  it('strips a UTF-8 byte order mark', () => {
    assert.equal(decodeSource(Buffer.from('\ufeffimport torch\n', 'utf8'), 1000), 'import torch\n');
  });

  it('survives a 1,000-deep nested expression and still finds the random use after it', async () => {
    const deep = `x = ${'('.repeat(1000)}1${')'.repeat(1000)}\n`;
    const sum = `y = ${Array.from({ length: 1000 }, (_, i) => i).join(' + ')}\n`;
    const result = await checkSource(`import random\n${deep}${sum}z = random.random()\n`);
    assert.deepEqual(
      result.findings.map((f) => [f.rule, f.range.start.line]),
      [['unset-seed', 3]],
    );
  });

  it('reports findings where the tree is unambiguous despite a syntax error elsewhere', async () => {
    const source = 'import torch\n\ndef broken(:\n    return )\n\nx = torch.rand(3)\n';
    const result = await checkSource(source);
    assert.equal(result.syntaxErrors, true);
    assert.deepEqual(
      result.findings.map((f) => [f.rule, f.range.start.line]),
      [['unset-seed', 5]],
    );
  });

  it('checks a 5 MB generated script when the limit allows it', async () => {
    const line = 'value_0000 = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0]\n';
    const body = line.repeat(Math.ceil((5 * 1024 * 1024) / line.length));
    const result = await checkSource(`import numpy as np\n${body}noise = np.random.rand(2)\n`);
    assert.deepEqual(result.findings.map((f) => f.rule), ['unset-seed']);
    assert.equal(result.findings[0].range.start.line, body.split('\n').length);
  });

  it('keeps notebook magics from hiding the findings after them', async () => {
    const source = '# %%\n!pip install torch\n%matplotlib inline\nimport torch\n# %%\nx = torch.randn(4)\n';
    const result = await checkSource(source);
    assert.deepEqual(
      result.findings.map((f) => [f.rule, f.range.start.line]),
      [['unset-seed', 5]],
    );
  });
});
