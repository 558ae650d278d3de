import * as fs from 'node:fs';

/**
 * What a file's first bytes say it is, whatever its extension: an empty file, a Git LFS pointer or an
 * HTML page standing where a model should be, or a model of another format saved under the wrong name.
 * Every reader's failure passes through here, so these cases read the same for every format.
 */

/** Git LFS pointers are at most 1024 bytes (git-lfs docs/spec.md); an HTML page's `<title>` comes early. */
export const HEAD_BYTES = 4096;

/** Reads `length` bytes at `at` (fewer at the end of the file). */
export type ReadAt = (at: number, length: number) => Buffer;

/** Runs `use` with random access to a file and its size; a model file can be gigabytes, so nothing is read whole. */
export function withFile<T>(file: string, use: (read: ReadAt, size: number) => T): T {
  const fd = fs.openSync(file, 'r');
  try {
    const read: ReadAt = (at, length) => {
      const buffer = Buffer.alloc(length);
      return buffer.subarray(0, fs.readSync(fd, buffer, 0, length, at));
    };
    return use(read, fs.fstatSync(fd).size);
  } finally {
    fs.closeSync(fd);
  }
}

/** The first bytes of a file and its size. */
export function readHead(file: string, length = HEAD_BYTES): { head: Buffer; sizeBytes: number } {
  return withFile(file, (read, sizeBytes) => ({ head: read(0, Math.min(length, sizeBytes)), sizeBytes }));
}

/** An empty file, a Git LFS pointer or an HTML page, described so the user knows what to do; else undefined. */
export function placeholderProblem(head: Uint8Array, sizeBytes: number): string | undefined {
  if (sizeBytes === 0) return 'empty file';
  const text = Buffer.from(head.subarray(0, HEAD_BYTES)).toString('latin1');
  // The pointer's first line is fixed by the spec; older clients wrote the hawser URL.
  if (/^version https:\/\/(git-lfs\.github\.com|hawser\.github\.com)\/spec\/v1\n/.test(text)) {
    const size = /\nsize (\d{1,20})\n/.exec(text)?.[1];
    const object = size ? `the ${Number(size).toLocaleString('en-US')}-byte file it stands for` : 'the file it stands for';
    return `a Git LFS pointer (${sizeBytes} bytes), not the model: ${object} was never downloaded; run \`git lfs pull\``;
  }
  const start = text.replace(/^(\xef\xbb\xbf)?\s*/, '');
  if (/^<(!doctype html|html|head|body)[\s>]/i.test(start)) {
    const title = /<title[^>]*>([^<]{1,200})<\/title>/i.exec(start)?.[1].replace(/\s+/g, ' ').trim();
    return `looks like an HTML page (a download error page?)${title ? ` titled "${title.slice(0, 80)}"` : ''}, not a model`;
  }
  return undefined;
}

export type Signature = 'zip' | 'hdf5' | 'gguf' | 'ggml' | 'pickle' | 'safetensors' | 'json';

const SIGNATURE_NAMES: Record<Signature, string> = {
  zip: 'a zip archive (a PyTorch checkpoint or a .keras model?)',
  hdf5: 'an HDF5 file (a Keras .h5 model?)',
  gguf: 'a GGUF file (a llama.cpp model)',
  ggml: "a GGML/GGJT file (llama.cpp's format before GGUF; convert it to GGUF)",
  pickle: 'a pickle (a PyTorch or pickled model?)',
  safetensors: 'a safetensors file',
  json: 'JSON text',
};

/** The known format the bytes start like, by its magic number or layout. */
export function signatureOf(head: Uint8Array): Signature | undefined {
  const ascii = Buffer.from(head.subarray(0, 16)).toString('latin1');
  if (ascii.startsWith('PK\x03\x04') || ascii.startsWith('PK\x05\x06')) return 'zip';
  if (ascii.startsWith('\x89HDF\r\n\x1a\n')) return 'hdf5';
  if (ascii.startsWith('GGUF')) return 'gguf';
  if (ascii.startsWith('lmgg') || ascii.startsWith('fmgg') || ascii.startsWith('tjgg')) return 'ggml';
  // PROTO opcode with protocol 2 to 5 (PyTorch writes 2).
  if (head[0] === 0x80 && head[1] >= 2 && head[1] <= 5) return 'pickle';
  if (head.length >= 10 && ascii.slice(8, 10) === '{"' && head[5] === 0 && head[6] === 0 && head[7] === 0) return 'safetensors';
  if (/^\s*[{[]/.test(ascii)) return 'json';
  return undefined;
}

/** How a reader's failure reads when the file is in fact another known format. */
export function wrongFormat(found: Signature, expected: string): string {
  return `this is ${SIGNATURE_NAMES[found]}, not ${expected} (renamed, or saved under the wrong extension)`;
}
