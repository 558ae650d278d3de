import { maskedCrc32c } from './masked-crc';

/** A record larger than this is not a scalar event: it is skipped unread (graph defs can be large). */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;
const HEADER_BYTES = 12; // uint64 length + masked CRC32C of the length
const FOOTER_BYTES = 4; // masked CRC32C of the data

/**
 * Splits a TFRecord stream (what event files are) into records as its bytes arrive. Each record:
 * uint64 little-endian length, uint32 masked CRC32C of those 8 bytes, the data, uint32 masked
 * CRC32C of the data (tensorflow/core/lib/io/record_writer.cc; tensorboard/summary/writer/
 * record_writer.py). Both checksums are verified:
 * - a bad data checksum leaves that record out (its length is trusted, the next record follows);
 * - a bad length checksum stops the reading: nothing after it can be framed.
 * A short last record is a write in progress: it waits for more bytes, and is not an error.
 */
export class RecordFraming {
  /** File offset of the first byte not yet consumed as part of a whole record. */
  offset = 0;
  private carry: Buffer = Buffer.alloc(0);
  /** Bytes of an oversized record still to skip. */
  private skipping = 0;
  /** Set when the framing is lost; no more records are read. */
  stopped: string | undefined;
  readonly problems: string[] = [];
  records = 0;

  constructor(private readonly onRecord: (data: Buffer, offset: number) => void) {}

  push(bytes: Buffer): void {
    let at = 0;
    // A record cut by the previous chunk's end is completed with just the bytes it lacks, so the
    // rest of the chunk is read in place rather than copied after it.
    while (this.carry.length > 0 && at < bytes.length && !this.stopped) {
      const carry = this.carry;
      const want = carry.length < HEADER_BYTES ? HEADER_BYTES : HEADER_BYTES + carry.readUInt32LE(0) + carry.readUInt32LE(4) * 2 ** 32 + FOOTER_BYTES;
      const take = Math.min(bytes.length - at, want - carry.length);
      this.carry = Buffer.alloc(0);
      this.consume(Buffer.concat([carry, bytes.subarray(at, at + take)]), 0);
      at += take;
    }
    if (this.carry.length === 0) this.consume(bytes, at);
  }

  /** Reads the whole records of buffer[at…], keeping the unread tail (copied) in `carry`. */
  private consume(buffer: Buffer, at: number): void {
    if (this.stopped) return;
    if (this.skipping > 0) {
      const skip = Math.min(this.skipping, buffer.length - at);
      this.skipping -= skip;
      at += skip;
      this.offset += skip;
    }
    while (this.skipping === 0 && buffer.length - at >= HEADER_BYTES) {
      const low = buffer.readUInt32LE(at);
      const high = buffer.readUInt32LE(at + 4);
      if (buffer.readUInt32LE(at + 8) !== maskedCrc32c(buffer, at, at + 8)) {
        this.stopped = `corrupt record at byte ${this.offset}: the length's checksum does not match; the rest of the file is not read`;
        this.problems.push(this.stopped);
        this.carry = Buffer.alloc(0);
        return;
      }
      const length = high * 2 ** 32 + low;
      const total = HEADER_BYTES + length + FOOTER_BYTES;
      if (length > MAX_RECORD_BYTES) {
        this.problems.push(`record at byte ${this.offset}: ${length.toLocaleString('en-US')} bytes, more than ${MAX_RECORD_BYTES / 2 ** 20} MiB: skipped unread`);
        const available = Math.min(total, buffer.length - at);
        this.skipping = total - available;
        at += available;
        this.offset += available;
        continue; // with the whole record skipped, the next one follows in this buffer
      }
      if (buffer.length - at < total) break; // a record still being written
      const dataStart = at + HEADER_BYTES;
      const dataEnd = dataStart + length;
      if (buffer.readUInt32LE(dataEnd) !== maskedCrc32c(buffer, dataStart, dataEnd)) {
        this.problems.push(`corrupt record at byte ${this.offset}: the data's checksum does not match; record left out`);
      } else {
        this.records++;
        this.onRecord(buffer.subarray(dataStart, dataEnd), this.offset);
      }
      at += total;
      this.offset += total;
    }
    // Keep the unread tail; copy it when it lives in the caller's (reused) chunk buffer.
    this.carry = at >= buffer.length ? Buffer.alloc(0) : Buffer.from(buffer.subarray(at));
  }

  /** Bytes waiting for the rest of their record. */
  pendingBytes(): number {
    return this.carry.length;
  }
}
