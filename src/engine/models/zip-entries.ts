import type * as yauzl from 'yauzl';

/**
 * yauzl reads the next central-directory record inside readEntry() and throws synchronously when a
 * corrupt archive declares an impossible offset; inside a callback that throw would escape every
 * promise. Route it to the caller's reject instead.
 */
export function nextEntry(zip: yauzl.ZipFile, reject: (error: Error) => void): void {
  try {
    zip.readEntry();
  } catch (error) {
    zip.close();
    reject(new Error(`corrupt zip archive: ${error instanceof Error ? error.message : String(error)}`));
  }
}
