import { crc32c } from './crc32c';

/**
 * The checksum TFRecord framing uses: CRC-32C (Castagnoli polynomial 0x1EDC6F41, the iSCSI CRC of
 * RFC 3720 §B.4; see crc32c.ts) of bytes[start, end), "masked" so that a CRC of data that holds
 * CRCs stays well-distributed: rotate right by 15 bits and add 0xa282ead8 (tensorflow/core/lib/
 * hash/crc32c.h `Mask`; tensorboard/summary/writer/record_writer.py `masked_crc32c`).
 */
export function maskedCrc32c(bytes: Uint8Array, start = 0, end = bytes.length): number {
  const crc = crc32c(bytes, start, end);
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}
