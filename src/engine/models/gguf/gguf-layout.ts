import * as fs from 'node:fs';

/**
 * Walks a GGUF header against the file's size before the parser reads it (the parser reads past the
 * end of a truncated file as zeros). Layout: ggml docs/gguf.md — magic "GGUF", version, tensor count,
 * metadata count (64-bit from version 2, 32-bit in version 1), typed metadata key-values, tensor infos.
 * Returns what is wrong, naming the entry, or undefined; the values themselves are not decoded.
 */
const n = (value: number | bigint) => value.toLocaleString('en-US');
/** ggml's GGML_MAX_DIMS. */
const MAX_DIMS = 4;
/** Value sizes of the fixed-size metadata types (GGUFValueType 0-12; 8 is string, 9 array). */
const FIXED: Partial<Record<number, number>> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };
const MAX_ARRAY_DEPTH = 4;

/** The file ends before a field; `detail` says which length ran past it, when one did. */
class Truncated extends Error {
  constructor(readonly detail?: string) {
    super(detail ?? 'truncated');
  }
}

/** Reads little-endian fields by offset through a 1 MB window, so a huge file is never read whole. */
class Cursor {
  at = 0;
  private window = Buffer.alloc(0);
  private windowStart = 0;

  constructor(
    private readonly fd: number,
    readonly size: number,
  ) {}

  private bytes(length: number): Buffer {
    if (this.at + length > this.size) throw new Truncated();
    if (this.at < this.windowStart || this.at + length > this.windowStart + this.window.length) {
      this.window = Buffer.alloc(Math.min(Math.max(length, 1 << 20), this.size - this.at));
      fs.readSync(this.fd, this.window, 0, this.window.length, this.at);
      this.windowStart = this.at;
    }
    const offset = this.at - this.windowStart;
    this.at += length;
    return this.window.subarray(offset, offset + length);
  }

  u32(): number {
    return this.bytes(4).readUInt32LE(0);
  }

  u64(): bigint {
    return this.bytes(8).readBigUInt64LE(0);
  }

  size64(version: number): bigint {
    return version === 1 ? BigInt(this.u32()) : this.u64();
  }

  /** A string's text (the first 200 bytes, for messages), after checking it lies inside the file. */
  string(version: number): string {
    const length = this.size64(version);
    if (length > BigInt(this.size - this.at)) throw new Truncated(`a ${n(length)}-byte string at byte ${n(this.at - (version === 1 ? 4 : 8))} runs past the end of the file (${n(this.size)} bytes)`);
    const shown = this.bytes(Math.min(Number(length), 200)).toString('utf8');
    this.at += Number(length) - Math.min(Number(length), 200);
    return shown;
  }

  skip(length: bigint): void {
    if (length > BigInt(this.size - this.at)) throw new Truncated();
    this.at += Number(length);
  }
}

export function ggufLayoutProblem(file: string): string | undefined {
  const fd = fs.openSync(file, 'r');
  try {
    const cursor = new Cursor(fd, fs.fstatSync(fd).size);
    let where = 'the fixed header (magic, version and counts)';
    try {
      const magic = cursor.u32();
      if (magic !== 0x46554747) return `not a GGUF file: it starts with ${JSON.stringify(Buffer.from(new Uint32Array([magic]).buffer).toString('latin1'))}, not "GGUF"`;
      const version = cursor.u32();
      if (version < 1 || version > 3) return `unsupported GGUF version ${version} (1 to 3 exist)`;
      const tensors = cursor.size64(version);
      const entries = cursor.size64(version);
      // A count beyond the file's size is a lie, not a truncation: say so before walking.
      if (entries > BigInt(cursor.size)) return `the GGUF header declares ${n(entries)} metadata entries, more than the file's ${n(cursor.size)} bytes can hold`;
      if (tensors > BigInt(cursor.size)) return `the GGUF header declares ${n(tensors)} tensors, more than the file's ${n(cursor.size)} bytes can hold`;
      for (let i = 1n; i <= entries; i++) {
        where = `metadata entry ${i} of ${entries}`;
        const key = cursor.string(version);
        where += ` ('${key}')`;
        const type = cursor.u32();
        const problem = skipValue(cursor, type, version, 0);
        if (problem) return `${where}: ${problem}`;
      }
      for (let i = 1n; i <= tensors; i++) {
        where = `tensor info ${i} of ${tensors}`;
        const name = cursor.string(version);
        where += ` ('${name}')`;
        const dims = cursor.u32();
        if (dims > MAX_DIMS) return `${where} declares ${dims} dimensions, GGUF tensors have at most ${MAX_DIMS}`;
        for (let d = 0; d < dims; d++) cursor.size64(version);
        cursor.u32();
        cursor.u64();
      }
      return undefined;
    } catch (error) {
      if (error instanceof Truncated) return error.detail ? `${where}: ${error.detail}` : `truncated GGUF header: the file (${n(cursor.size)} bytes) ends inside ${where}`;
      throw error;
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Skips one metadata value; returns a problem for an unknown type or nesting too deep. */
function skipValue(cursor: Cursor, type: number, version: number, depth: number): string | undefined {
  const fixed = FIXED[type];
  if (fixed) {
    cursor.skip(BigInt(fixed));
    return undefined;
  }
  if (type === 8) {
    cursor.string(version);
    return undefined;
  }
  if (type !== 9) return `unknown value type ${type} (at byte ${n(cursor.at - 4)})`;
  if (depth >= MAX_ARRAY_DEPTH) return `arrays nested deeper than ${MAX_ARRAY_DEPTH}`;
  const itemType = cursor.u32();
  const count = cursor.size64(version);
  const itemFixed = FIXED[itemType];
  if (itemFixed) {
    if (count * BigInt(itemFixed) > BigInt(cursor.size - cursor.at)) {
      return `an array of ${n(count)} values needs ${n(count * BigInt(itemFixed))} bytes from byte ${n(cursor.at)}, the file has ${n(cursor.size)}`;
    }
    cursor.skip(count * BigInt(itemFixed));
    return undefined;
  }
  // Strings and arrays take at least 8 bytes (4 in version 1) each.
  if (count * BigInt(version === 1 ? 4 : 8) > BigInt(cursor.size - cursor.at)) {
    return `an array of ${n(count)} values runs past the end of the file (${n(cursor.size)} bytes)`;
  }
  for (let i = 0n; i < count; i++) {
    const problem = skipValue(cursor, itemType, version, depth + 1);
    if (problem) return problem;
  }
  return undefined;
}
