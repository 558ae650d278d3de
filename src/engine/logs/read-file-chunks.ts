import * as fs from 'node:fs';

/** Bytes read per chunk: large enough for throughput, small enough to bound memory. */
export const CHUNK_BYTES = 1 << 20;

/**
 * Feeds a file's bytes from `start` to its end (as it is now) to `push`, one chunk at a time; the
 * chunk's buffer is reused, so `push` must copy what it keeps. Returns the bytes read.
 */
export async function readFileChunks(file: string, start: number, push: (bytes: Buffer) => void, signal?: AbortSignal): Promise<number> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    let position = start;
    for (;;) {
      signal?.throwIfAborted();
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (bytesRead === 0) break;
      push(buffer.subarray(0, bytesRead));
      position += bytesRead;
    }
    return position - start;
  } finally {
    await handle.close();
  }
}

/** The first `bytes` of a file (fewer if it is shorter). */
export async function readHeadBytes(file: string, bytes: number): Promise<Buffer> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
