import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadTensorFlow } from '../../src/engine/tf/backend';

function matmul(tf: Awaited<ReturnType<typeof loadTensorFlow>>['tf']): number[] {
  const a = tf.tensor2d([[1, 2], [3, 4]]);
  const b = tf.tensor2d([[5], [6]]);
  const out = Array.from(tf.matMul(a, b).dataSync());
  tf.dispose([a, b]);
  return out;
}

describe('TensorFlow.js backend selection', () => {
  it('uses tfjs-node where it loads, otherwise the wasm backend, and says why it skipped one', async () => {
    const runtime = await loadTensorFlow();
    let nativeLoads = true;
    try {
      require.resolve('@tensorflow/tfjs-node');
    } catch {
      nativeLoads = false;
    }
    if (nativeLoads) {
      assert.equal(runtime.backend, 'tensorflow');
    } else {
      assert.equal(runtime.backend, 'wasm');
      assert.deepEqual(runtime.skipped, ['tensorflow: optional dependency @tensorflow/tfjs-node is not installed']);
    }
    assert.equal(runtime.tf.getBackend(), runtime.backend);
    assert.deepEqual(matmul(runtime.tf), [17, 39]);
  });

  it('runs on the pure-JS cpu backend when asked', async () => {
    const runtime = await loadTensorFlow({ prefer: ['cpu'] });
    assert.equal(runtime.backend, 'cpu');
    assert.equal(runtime.tf.getBackend(), 'cpu');
    assert.deepEqual(matmul(runtime.tf), [17, 39]);
  });

  it('reports every failure when no backend can start', async () => {
    await assert.rejects(loadTensorFlow({ prefer: ['wasm'], wasmDir: '/nonexistent' }), /no TensorFlow\.js backend could start \(wasm: tfjs-backend-wasm\.wasm not found in \/nonexistent\)/);
  });
});
