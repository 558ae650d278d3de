import * as yauzl from 'yauzl';
import { openZip } from '../windowed-zip';
import { nextEntry } from '../zip-entries';

/** data.pkl holds only metadata; a larger one is hostile or broken. */
const MAX_PICKLE_BYTES = 256 * 1024 * 1024;
const MAX_ENTRIES = 1_000_000;

export interface TorchZip {
  /** The archive's folder name (`archive`, `state_dict`, ... — torch uses the file's stem). */
  prefix: string;
  pickle: Uint8Array;
  /** Storage key → stored size in bytes. */
  storages: Map<string, number>;
}

/**
 * Reads the PyTorch zip layout (`<prefix>/data.pkl` plus one `<prefix>/data/<key>` entry per
 * storage) through the zip's central directory: only data.pkl is inflated, weights stay on disk.
 */
export function readTorchZip(file: string): Promise<TorchZip> {
  return new Promise((resolve, reject) => {
    openZip(file, { lazyEntries: true, autoClose: true, strictFileNames: false, validateEntrySizes: true }, (error, zip) => {
      if (error || !zip) return reject(new Error(`not a readable zip archive: ${error?.message ?? 'unknown error'}`));
      const storages = new Map<string, number>();
      let pickle: { prefix: string; bytes: Uint8Array } | undefined;
      let count = 0;
      const fail = (message: string) => {
        zip.close();
        reject(new Error(message));
      };
      zip.on('error', (e: Error) => reject(new Error(`corrupt zip archive: ${e.message}`)));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (++count > MAX_ENTRIES) return fail(`more than ${MAX_ENTRIES} zip entries`);
        const name = entry.fileName;
        const storage = /(?:^|\/)data\/([^/]+)$/.exec(name);
        if (storage) storages.set(storage[1], entry.uncompressedSize);
        if (!/(^|\/)data\.pkl$/.test(name) || pickle) return nextEntry(zip, reject);
        if (entry.uncompressedSize > MAX_PICKLE_BYTES) {
          return fail(`data.pkl is ${entry.uncompressedSize} bytes, above the ${MAX_PICKLE_BYTES}-byte limit`);
        }
        // Inflate data.pkl as it is met (the archive closes itself once listing ends).
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return fail(`cannot read data.pkl: ${streamError?.message ?? 'unknown error'}`);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('error', (e: Error) => fail(`corrupt data.pkl: ${e.message}`));
          stream.on('end', () => {
            pickle = { prefix: name.replace(/\/?data\.pkl$/, ''), bytes: new Uint8Array(Buffer.concat(chunks)) };
            nextEntry(zip, reject);
          });
        });
      });
      zip.on('end', () => {
        if (!pickle) return reject(new Error('zip archive has no data.pkl: not a PyTorch checkpoint'));
        resolve({ prefix: pickle.prefix, pickle: pickle.bytes, storages });
      });
      nextEntry(zip, reject);
    });
  });
}
