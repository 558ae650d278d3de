/** A malformed or hostile pickle, with the byte offset of the opcode that could not be read. */
export class PickleError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} (at byte ${offset})`);
  }
}

/**
 * Bounds-checked little-endian reads over a byte array. Every length is checked against the bytes
 * left before anything is allocated; `at` is the offset of the opcode being read, for errors.
 */
export class ByteReader {
  private readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    public pos: number,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  u8(): number {
    if (this.pos >= this.bytes.length) throw new PickleError('truncated: file ends inside the pickle', this.pos);
    return this.bytes[this.pos++];
  }

  u16(at: number): number {
    this.need(2, at);
    const value = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return value;
  }

  i32(at: number): number {
    this.need(4, at);
    const value = this.view.getInt32(this.pos, true);
    this.pos += 4;
    return value;
  }

  u32(at: number): number {
    this.need(4, at);
    const value = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return value;
  }

  /** A 64-bit length, refused when larger than the whole input. */
  u64(at: number): number {
    this.need(8, at);
    const value = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    if (value > BigInt(this.bytes.length)) throw new PickleError(`length ${value} is larger than the file`, at);
    return Number(value);
  }

  /** BINFLOAT is the one big-endian field of the format. */
  f64be(at: number): number {
    this.need(8, at);
    const value = this.view.getFloat64(this.pos, false);
    this.pos += 8;
    return value;
  }

  /** The next `n` bytes (a view, not a copy). */
  take(n: number, at: number): Uint8Array {
    this.need(n, at);
    const slice = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return slice;
  }

  skip(n: number, at: number): void {
    this.need(n, at);
    this.pos += n;
  }

  /** Text up to the next newline (protocol 0 arguments), as latin-1. */
  line(at: number): string {
    const end = this.bytes.indexOf(0x0a, this.pos);
    if (end < 0) throw new PickleError('truncated: missing newline', at);
    const text = latin1(this.bytes.subarray(this.pos, end));
    this.pos = end + 1;
    return text.replace(/\r$/, '');
  }

  private need(n: number, at: number): void {
    if (this.pos + n > this.bytes.length) {
      throw new PickleError(`truncated: needs ${n} bytes, ${this.bytes.length - this.pos} left`, at);
    }
  }
}

export function latin1(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 8192) text += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return text;
}
