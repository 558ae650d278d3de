import { withFile } from '../sniff';

/** The 8-byte HDF5 format signature. */
const SIGNATURE = Buffer.from('\x89HDF\r\n\x1a\n', 'latin1');
/** A user block before the superblock is 0, 512, 1024, 2048... bytes long; look no further than this. */
const MAX_USER_BLOCK = 1 << 20;

/**
 * Checks an HDF5 file's superblock before the HDF5 library opens it: the signature, and the end-of-file
 * address the writer recorded against the file's real size (the library reports a truncated file in
 * its own words, deep in an error stack). Layout: HDF5 File Format Specification 3.0, "Level 0A:
 * Format Signature and Superblock" (superblock versions 0 to 3). Returns what is wrong, or undefined.
 */
export function hdf5SuperblockProblem(file: string): string | undefined {
  return withFile(file, (read, size) => {
    const insideSuperblock = `truncated HDF5 file: ${size} bytes, the file ends inside its superblock`;
    let base = -1;
    for (let at = 0; at < size && at <= MAX_USER_BLOCK; at = at === 0 ? 512 : at * 2) {
      if (read(at, SIGNATURE.length).equals(SIGNATURE)) {
        base = at;
        break;
      }
    }
    if (base < 0) {
      if (size < SIGNATURE.length && SIGNATURE.subarray(0, size).equals(read(0, size))) return `truncated HDF5 file: ${size} bytes, its signature alone needs ${SIGNATURE.length}`;
      return 'not an HDF5 file: no HDF5 signature at its start or after a user block';
    }
    const head = read(base, 96);
    const version = head[8];
    if (version === undefined) return insideSuperblock;
    if (version > 3) return `unsupported HDF5 superblock version ${version} (at byte ${base + 8})`;
    // Versions 0 and 1: base, free-space, end-of-file and driver addresses after 24 (v1: 28) bytes; 2 and 3: base, extension, end-of-file after 12.
    const addresses = version === 0 ? 24 : version === 1 ? 28 : 12;
    const offsetSize = version <= 1 ? head[13] : head[9];
    if (head.length < addresses) return insideSuperblock;
    if (![2, 4, 8].includes(offsetSize)) return `corrupt HDF5 superblock: addresses of ${offsetSize} bytes (2, 4 or 8 are valid)`;
    const eofAt = addresses + 2 * offsetSize;
    if (head.length < eofAt + offsetSize) return insideSuperblock;
    const baseAddress = readAddress(head, addresses, offsetSize);
    const eof = readAddress(head, eofAt, offsetSize);
    if (eof === undefined || baseAddress === undefined) return undefined;
    const declared = baseAddress + eof;
    if (declared > size) return `truncated HDF5 file: its superblock declares ${declared.toLocaleString('en-US')} bytes, the file has ${size.toLocaleString('en-US')}`;
    return undefined;
  });
}

/** A little-endian address; undefined for the "undefined address" (all bits set) or one past 2^53. */
function readAddress(bytes: Buffer, at: number, size: number): number | undefined {
  let value = 0n;
  for (let i = size - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[at + i]);
  if (value === (1n << BigInt(size * 8)) - 1n || value > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  return Number(value);
}
