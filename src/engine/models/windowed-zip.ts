import * as fs from 'node:fs';
import { Readable } from 'node:stream';
import * as yauzl from 'yauzl';

/** Bytes fetched per disk read; a central-directory record is ~100 bytes, so one window holds thousands. */
const WINDOW = 256 * 1024;
/** Read size when streaming an entry's bytes from disk: fewer, larger reads than fs streams' 64 KiB. */
const STREAM_CHUNK = 1024 * 1024;

type ReadCallback = (error: Error | null, bytesRead?: number) => void;

interface Window {
  start: number;
  bytes: Buffer;
}

/**
 * yauzl's own file reader reads each central-directory record, and each entry's local header, with
 * separate small reads (two per entry, each a round trip through libuv's thread pool): listing a
 * 10,000-tensor PyTorch archive took over half a second. This reader serves small reads from
 * windows of the file read in one go, and streams an entry's bytes from a window that holds them.
 * Two windows: reading entries alternates between the central directory at the end of the file and
 * the local headers and data at the front.
 */
class WindowedReader extends yauzl.RandomAccessReader {
  /** Most recently used first. */
  private windows: Window[] = [];

  constructor(
    private readonly fd: number,
    private readonly size: number,
  ) {
    super();
  }

  private windowHolding(start: number, end: number): Window | undefined {
    const index = this.windows.findIndex((w) => start >= w.start && end <= w.start + w.bytes.length);
    if (index > 0) this.windows.unshift(...this.windows.splice(index, 1));
    return index < 0 ? undefined : this.windows[0];
  }

  override read(buffer: Buffer, offset: number, length: number, position: number, callback: ReadCallback): void {
    // What no window can serve goes to the disk exactly as yauzl would send it.
    if (length > WINDOW || !Number.isSafeInteger(position) || position < 0 || position >= this.size) {
      fs.read(this.fd, buffer, offset, length, position, (error, bytesRead) => callback(error, bytesRead));
      return;
    }
    const serve = (window: Window) => {
      const available = Math.max(0, Math.min(length, window.start + window.bytes.length - position));
      window.bytes.copy(buffer, offset, position - window.start, position - window.start + available);
      callback(null, available);
    };
    // Served later, never synchronously: yauzl asks for the next entry from inside its callbacks.
    const held = this.windowHolding(position, position + length);
    if (held) return void setImmediate(serve, held);
    const bytes = Buffer.allocUnsafe(Math.min(WINDOW, this.size - position));
    fs.read(this.fd, bytes, 0, bytes.length, position, (error, bytesRead) => {
      if (error) return callback(error);
      const window = { start: position, bytes: bytes.subarray(0, bytesRead) };
      this.windows = [window, ...this.windows.slice(0, 1)];
      serve(window);
    });
  }

  override _readStreamForRange(start: number, end: number): Readable {
    const held = this.windowHolding(start, end);
    if (held) return Readable.from([Buffer.from(held.bytes.subarray(start - held.start, end - held.start))], { objectMode: false });
    // yauzl destroys the streams it is given once read, and destroying an fs stream closes its fd, even
    // with autoClose off; the fd is shared by every entry, so this stream's close does nothing.
    return fs.createReadStream('', { fd: this.fd, start, end: end - 1, autoClose: false, highWaterMark: STREAM_CHUNK, fs: { read: fs.read, close: (_fd: number, done: (error: null) => void) => done(null) } });
  }

  override close(callback: (error: Error | null) => void): void {
    fs.close(this.fd, callback);
  }
}

/** yauzl.open, reading through a WindowedReader. */
export function openWindowedZip(file: string, options: yauzl.Options, callback: (error: Error | null, zip?: yauzl.ZipFile) => void): void {
  fs.open(file, 'r', (openError, fd) => {
    if (openError) return callback(openError);
    fs.fstat(fd, (statError, stats) => {
      if (statError) return fs.close(fd, () => callback(statError));
      const reader = new WindowedReader(fd, stats.size);
      yauzl.fromRandomAccessReader(reader, stats.size, options, (error, zip) => {
        if (error) return fs.close(fd, () => callback(error));
        callback(null, zip);
      });
    });
  });
}
