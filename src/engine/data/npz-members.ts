import type * as yauzl from 'yauzl';
import { nextEntry, openZip } from '../models/zip-entries';
import type { PythonParser } from '../python/parser';
import { parseNpyHeader, type NpyHeader } from './npy-header';

/** One array of an `.npz` archive (`np.savez` names members `x.npy`; the key is `x`). */
export interface NpzMember {
  key: string;
  header?: NpyHeader;
  error?: string;
}

/** Archives with more members than this are listed no further. */
const MAX_MEMBERS = 1000;
/** Bytes read (and, for `savez_compressed`, inflated) from one member to reach its header. */
const MAX_HEADER_BYTES = 1 << 16;

/**
 * The arrays of an `.npz` file (a zip of `.npy` files, numpy.savez / savez_compressed), each with its
 * header read from the first bytes of the member: the data is never loaded or fully inflated.
 */
export async function readNpzMembers(file: string, parser: PythonParser): Promise<NpzMember[]> {
  const zip = await openZip(file, { lazyEntries: true, autoClose: false });
  try {
    const entries = await listEntries(zip);
    const members: NpzMember[] = [];
    for (const entry of entries) {
      if (!entry.fileName.endsWith('.npy')) continue;
      const key = entry.fileName.slice(0, -4);
      try {
        const prefix = await readPrefix(zip, entry, MAX_HEADER_BYTES);
        const parsed = parseNpyHeader(prefix, parser);
        if ('needBytes' in parsed) members.push({ key, error: `member ${entry.fileName} ends inside its .npy header` });
        else if (!parsed.ok) members.push({ key, error: parsed.error });
        else {
          const data = entry.uncompressedSize - parsed.header.dataOffset;
          const needed = parsed.header.itemSize === undefined ? 0 : parsed.header.shape.reduce((a, b) => a * b, 1) * parsed.header.itemSize;
          if (needed > data) members.push({ key, error: `member ${entry.fileName} declares shape (${parsed.header.shape.join(', ')}): ${needed.toLocaleString('en-US')} data bytes, it holds ${data.toLocaleString('en-US')}` });
          else members.push({ key, header: parsed.header });
        }
      } catch (error) {
        members.push({ key, error: `member ${entry.fileName}: ${error instanceof Error ? error.message : String(error)}` });
      }
    }
    return members;
  } finally {
    zip.close();
  }
}

function listEntries(zip: yauzl.ZipFile): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: yauzl.Entry[] = [];
    zip.on('entry', (entry: yauzl.Entry) => {
      entries.push(entry);
      if (entries.length >= MAX_MEMBERS) resolve(entries);
      else nextEntry(zip, reject);
    });
    zip.on('end', () => resolve(entries));
    zip.on('error', reject);
    nextEntry(zip, reject);
  });
}

/** The first `limit` bytes of a member, inflated if needed; the stream is destroyed after that. */
function readPrefix(zip: yauzl.ZipFile, entry: yauzl.Entry, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error || !stream) return reject(error ?? new Error('unreadable member'));
      const chunks: Buffer[] = [];
      let length = 0;
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        stream.destroy();
        resolve(Buffer.concat(chunks).subarray(0, limit));
      };
      stream.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        length += chunk.length;
        if (length >= limit) finish();
      });
      stream.on('end', finish);
      stream.on('error', (e) => {
        if (!done) {
          done = true;
          reject(e);
        }
      });
    });
  });
}
