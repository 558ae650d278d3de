/**
 * Reads an HDF5 file's attributes and dataset shapes in a worker thread. The HDF5 library (h5wasm)
 * can loop forever on a corrupt file, synchronously; in a worker, the caller's timeout can end it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { datasetsUnder, loadH5, type H5Dataset } from './hdf5';
import type { Hdf5Reply, Hdf5Request } from './hdf5-protocol';

async function main(request: Hdf5Request): Promise<Hdf5Reply> {
  const h5 = await loadH5();
  // Errors become exceptions carrying the library's error stack instead of lines printed to stderr.
  h5.Module.activate_throwing_error_handler();
  let handle: InstanceType<typeof h5.File>;
  try {
    handle = new h5.File(request.file, 'r');
  } catch (error) {
    return { ok: false, stage: 'open', error: innermost(error) };
  }
  try {
    const attributes: Record<string, string> = {};
    for (const name of request.attributes) {
      const value = handle.attrs[name]?.value;
      if (typeof value === 'string') attributes[name] = value;
    }
    const keys = handle.keys();
    const datasets: Record<string, H5Dataset[]> = {};
    for (const group of request.groups) datasets[group] = keys.includes(group) ? datasetsUnder(h5, handle.get(group) as never, group) : [];
    return { ok: true, attributes, keys, datasets };
  } catch (error) {
    return { ok: false, stage: 'read', error: innermost(error) };
  } finally {
    try {
      handle.close();
    } catch {
      // Closing a file the library already gave up on fails too; nothing is left open.
    }
  }
}

/** The HDF5 error stack lists callers first; its last `func(): message` line is the actual cause. */
function innermost(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const causes = [...text.matchAll(/ in [\w.]+\(\): (.+)$/gm)].map((m) => m[1].trim());
  return causes.at(-1) ?? text.split('\n')[0];
}

main(workerData as Hdf5Request).then(
  (reply) => parentPort?.postMessage(reply),
  (error: unknown) => parentPort?.postMessage({ ok: false, stage: 'open', error: String(error) } satisfies Hdf5Reply),
);
