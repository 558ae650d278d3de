import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Hdf5Reply, Hdf5Request } from './hdf5-protocol';

/** HDF5 headers read in milliseconds; a worker still busy after this is stuck on a corrupt file. */
const TIMEOUT_MS = 10_000;

/**
 * Runs the HDF5 read in a worker thread (dist/hdf5-worker.js next to the bundle; the TypeScript
 * source under tsx in tests) and gives up — terminating it — after a timeout.
 */
export function readHdf5(request: Hdf5Request, timeoutMs = TIMEOUT_MS): Promise<Hdf5Reply> {
  // Running from source (tests under tsx), the worker registers tsx's require hook before loading the .ts entry.
  const worker = __filename.endsWith('.ts')
    ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(path.join(__dirname, 'hdf5-worker.ts'))});`, { eval: true, workerData: request })
    : new Worker(path.join(__dirname, 'hdf5-worker.js'), { workerData: request });
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      void worker.terminate();
      resolve({ ok: false, stage: 'read', error: `reading the HDF5 structure did not finish within ${timeoutMs / 1000} s (a corrupt file can make the HDF5 library loop)` });
    }, timeoutMs);
    worker.once('message', (reply: Hdf5Reply) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(reply);
    });
    worker.once('error', (error) => {
      clearTimeout(timer);
      resolve({ ok: false, stage: 'read', error: error.message });
    });
  });
}
