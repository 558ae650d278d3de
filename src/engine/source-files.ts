import * as fs from 'node:fs';
import type { SourceReader } from './python/module-resolver';

/** Why a file's text could not be analysed, phrased for a log line or a diagnostic. */
export type Unreadable = { reason: string };

/** Decodes a Python source file; binary and non-UTF-8 content is refused rather than guessed. */
export function decodeSource(bytes: Uint8Array, maxBytes: number): string | Unreadable {
  if (bytes.byteLength > maxBytes) return tooLarge(bytes.byteLength, maxBytes);
  if (bytes.includes(0)) return { reason: 'file contains NUL bytes: binary, not Python source' };
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    return { reason: 'file is not valid UTF-8 (Python 3 source must be UTF-8 unless it declares another encoding)' };
  }
}

function tooLarge(size: number, maxBytes: number): Unreadable {
  return { reason: `file is ${formatBytes(size)}, above the ${formatBytes(maxBytes)} limit (dlDoctor.maxFileSizeMB)` };
}

export function isUnreadable(value: string | Unreadable): value is Unreadable {
  return typeof value !== 'string';
}

/** Reads files from disk, bounded by size; used by the CLI and for files not open in an editor. */
export class DiskReader implements SourceReader {
  constructor(private readonly maxBytes: number) {}

  read(file: string): string | undefined {
    const result = this.readWithReason(file);
    return typeof result === 'string' ? result : undefined;
  }

  readWithReason(file: string): string | Unreadable {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch (error) {
      return { reason: `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
    }
    if (!stat.isFile()) return { reason: 'not a regular file' };
    if (stat.size > this.maxBytes) return tooLarge(stat.size, this.maxBytes);
    try {
      return decodeSource(fs.readFileSync(file), this.maxBytes);
    } catch (error) {
      return { reason: `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
    }
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} B`;
}
