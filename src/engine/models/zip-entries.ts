import * as yauzl from 'yauzl';
import { withFile, type ReadAt } from './sniff';
import { openWindowedZip } from './windowed-zip';

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

/** Opens a zip archive with yauzl; a failure is explained from the archive's own layout. */
export function openZip(file: string, options: yauzl.Options): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    openWindowedZip(file, options, (error, zip) => {
      if (zip && !error) {
        // A central-directory record takes at least 46 bytes: a count beyond that is a lie, refused before listing.
        if (zip.entryCount * CENTRAL_RECORD > zip.fileSize) {
          zip.close();
          return reject(new Error(`corrupt zip archive: its end record declares ${zip.entryCount.toLocaleString('en-US')} entries, more than the file's ${zip.fileSize.toLocaleString('en-US')} bytes can hold`));
        }
        return resolve(zip);
      }
      const cause = error?.message ?? 'unknown error';
      let explained: string;
      try {
        explained = /end of central directory record signature not found/i.test(cause) ? whyNoCentralDirectory(file) : `corrupt zip archive: ${cause}`;
      } catch {
        explained = `not a readable zip archive: ${cause}`;
      }
      reject(new Error(explained));
    });
  });
}

/** A corrupt central directory, in terms of the archive (yauzl's own words are about its reader). */
export function corruptZip(zip: yauzl.ZipFile, error: Error): Error {
  const state = zip as unknown as { entriesRead: number; readEntryCursor: number };
  const which = `entry ${state.entriesRead + 1} of the ${zip.entryCount.toLocaleString('en-US')} its end record declares`;
  if (/invalid central directory file header signature/.test(error.message)) {
    return new Error(`corrupt zip archive: ${which} is not a central-directory record (at byte ${state.readEntryCursor.toLocaleString('en-US')})`);
  }
  if (/unexpected EOF/.test(error.message)) return new Error(`corrupt zip archive: ${which} lies past the end of the file`);
  return new Error(`corrupt zip archive: ${error.message}`);
}

const LOCAL_HEADER = 30;
const CENTRAL_RECORD = 46;
const LOCAL_SIGNATURE = 0x04034b50;
const CENTRAL_SIGNATURE = 0x02014b50;
/** Walking more local headers than this to explain a failure is not worth it. */
const MAX_WALKED_ENTRIES = 100_000;

/**
 * A zip's table of contents (the central directory and its end record) sits at the end of the file,
 * so a truncated archive loses it first. Walk the local entries from the start to say where the file
 * stops (ZIP APPNOTE 4.3.7: local file header; 4.5.3: ZIP64 extra field).
 */
function whyNoCentralDirectory(file: string): string {
  return withFile(file, (read, size) => {
    const insideHeader = (index: number) => `truncated zip archive: the file ends inside the header of entry ${index + 1} (${size.toLocaleString('en-US')} bytes in all)`;
    let at = 0;
    for (let index = 0; index < MAX_WALKED_ENTRIES; index++) {
      const header = read(at, LOCAL_HEADER);
      if (index === 0 && header.length < LOCAL_HEADER && header.subarray(0, 2).toString('latin1') === 'PK') {
        return `truncated zip archive: ${size} bytes, the first entry's header alone needs ${LOCAL_HEADER}`;
      }
      if (header.length < 4) return insideHeader(index);
      const signature = header.readUInt32LE(0);
      if (signature === CENTRAL_SIGNATURE) {
        return `truncated zip archive: its table of contents (the central directory, after ${index} complete entries) is cut short at byte ${size.toLocaleString('en-US')}`;
      }
      if (signature !== LOCAL_SIGNATURE) {
        return index === 0
          ? 'not a zip archive: no zip entry at its start and no end-of-central-directory record at its end'
          : `corrupt zip archive: no zip entry or central directory at byte ${at.toLocaleString('en-US')}, after ${index} entries`;
      }
      if (header.length < LOCAL_HEADER) return insideHeader(index);
      const flags = header.readUInt16LE(6);
      const nameLength = header.readUInt16LE(26);
      const extraLength = header.readUInt16LE(28);
      const names = read(at + LOCAL_HEADER, nameLength + extraLength);
      if (names.length < nameLength + extraLength) return insideHeader(index);
      const name = names.subarray(0, nameLength).toString('utf8');
      let dataLength = header.readUInt32LE(18);
      if (dataLength === 0xffffffff) dataLength = zip64CompressedSize(names.subarray(nameLength)) ?? dataLength;
      const start = at + LOCAL_HEADER + nameLength + extraLength;
      let end: number;
      if (flags & 0x08) {
        // Sizes come after the data (bit 3, as PyTorch writes): find the data descriptor that ends it.
        const descriptor = findDescriptor(read, start, size);
        if (descriptor === undefined) return `truncated zip archive: the file ends inside entry '${name}' (its data starts at byte ${start.toLocaleString('en-US')}, ${size.toLocaleString('en-US')} bytes in all)`;
        end = descriptor;
      } else {
        end = start + dataLength;
        if (end > size) return `truncated zip archive: entry '${name}' needs bytes ${start.toLocaleString('en-US')}..${end.toLocaleString('en-US')}, the file ends at byte ${size.toLocaleString('en-US')}`;
      }
      at = end;
      if (at === size) return `truncated zip archive: the file ends after entry ${index + 1} ('${name}'), before its table of contents (the central directory)`;
    }
    return `truncated zip archive: no end-of-central-directory record in its ${size.toLocaleString('en-US')} bytes`;
  });
}

/** Bytes scanned for a data descriptor before giving up on explaining a failure. */
const MAX_SCAN = 256 * 1024 * 1024;

/**
 * The offset just after the data descriptor (APPNOTE 4.3.9: signature, CRC-32, sizes) that closes an
 * entry starting at `start`: the first descriptor signature whose compressed size matches its distance
 * from the start, followed by another zip record or the end of the file.
 */
function findDescriptor(read: ReadAt, start: number, size: number): number | undefined {
  const chunk = 1 << 20;
  for (let from = start; from < size && from - start < MAX_SCAN; from += chunk - 24) {
    const bytes = read(from, chunk);
    for (let i = bytes.indexOf('PK\x07\x08', 0, 'latin1'); i >= 0; i = bytes.indexOf('PK\x07\x08', i + 1, 'latin1')) {
      const at = from + i;
      if (i + 24 > bytes.length && at + 24 <= size) break; // read it whole with the next chunk
      const compressed32 = i + 12 <= bytes.length ? bytes.readUInt32LE(i + 8) : -1;
      if (compressed32 === at - start) return at + 16;
      if (i + 16 <= bytes.length && Number(bytes.readBigUInt64LE(i + 8)) === at - start) return at + 24;
    }
  }
  return undefined;
}

/** The compressed size from a ZIP64 extended-information extra field (header id 0x0001), if present. */
function zip64CompressedSize(extra: Buffer): number | undefined {
  for (let at = 0; at + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    if (id === 0x0001 && length >= 16 && at + 4 + 16 <= extra.length) return Number(extra.readBigUInt64LE(at + 12));
    at += 4 + length;
  }
  return undefined;
}
