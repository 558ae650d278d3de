import * as fs from 'node:fs/promises';
import type { Node } from 'web-tree-sitter';
import type { PythonParser } from '../python/parser';

/**
 * The header of a NumPy `.npy` array, read without touching its data. Layout (NumPy's "NPY format"
 * page, numpy.org/doc/stable/reference/generated/numpy.lib.format.html): the magic `\x93NUMPY`, a
 * major and minor version byte, the header length (uint16 little-endian in version 1.0, uint32 in 2.0
 * and 3.0), then an ASCII (3.0: UTF-8) Python dict literal `{'descr': '<f4', 'fortran_order': False,
 * 'shape': (60000, 28, 28), }` padded with spaces to a multiple of 64 bytes and ending in a newline.
 */
export interface NpyHeader {
  shape: number[];
  descr: string;
  /** Bytes per element, when `descr` is a plain type string; absent for structured dtypes. */
  itemSize?: number;
  /** Offset of the first data byte. */
  dataOffset: number;
}

export type NpyResult = { ok: true; header: NpyHeader } | { ok: false; error: string };

const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]);
/** NumPy refuses headers over 10,000 bytes unless asked to allow them; allow more, within reason. */
const MAX_HEADER = 1 << 20;

/** Parses a header from the first bytes of a `.npy` stream (at least 10; more is read on demand by the caller). */
export function parseNpyHeader(prefix: Buffer, parser: PythonParser): NpyResult | { needBytes: number } {
  if (!prefix.subarray(0, 6).equals(MAGIC.subarray(0, Math.min(6, prefix.length)))) return { ok: false, error: 'not a .npy file (no \\x93NUMPY magic)' };
  if (prefix.length < 10) return { needBytes: 10 };
  const major = prefix[6];
  if (major < 1 || major > 3) return { ok: false, error: `unsupported .npy format version ${major}.${prefix[7]}` };
  const lengthBytes = major === 1 ? 2 : 4;
  if (prefix.length < 8 + lengthBytes) return { needBytes: 8 + lengthBytes };
  const headerLength = major === 1 ? prefix.readUInt16LE(8) : prefix.readUInt32LE(8);
  if (headerLength > MAX_HEADER) return { ok: false, error: `.npy header declares ${headerLength.toLocaleString('en-US')} bytes, more than DL Doctor reads` };
  const dataOffset = 8 + lengthBytes + headerLength;
  if (prefix.length < dataOffset) return { needBytes: dataOffset };
  const text = prefix.subarray(8 + lengthBytes, dataOffset).toString(major === 3 ? 'utf8' : 'latin1');
  const fields = dictLiteral(text, parser);
  if (!fields) return { ok: false, error: 'the .npy header is not a Python dict literal' };
  const shape = fields.get('shape');
  const descr = fields.get('descr');
  if (!Array.isArray(shape) || typeof descr !== 'string') return { ok: false, error: "the .npy header has no 'shape' tuple or 'descr' string" };
  return { ok: true, header: { shape, descr, itemSize: itemSize(descr), dataOffset } };
}

/** Reads and parses the header of a `.npy` file, then checks the file holds the data the header declares. */
export async function readNpyFile(file: string, parser: PythonParser): Promise<NpyResult> {
  const handle = await fs.open(file, 'r');
  try {
    const { size } = await handle.stat();
    let length = 64;
    for (let attempt = 0; attempt < 4; attempt++) {
      const buffer = Buffer.alloc(Math.min(length, size));
      await handle.read(buffer, 0, buffer.length, 0);
      const parsed = parseNpyHeader(buffer, parser);
      if (!('needBytes' in parsed)) return parsed.ok ? checkDataSize(parsed.header, size) : parsed;
      if (parsed.needBytes > size) return { ok: false, error: `truncated .npy file: its header needs ${parsed.needBytes.toLocaleString('en-US')} bytes, the file has ${size.toLocaleString('en-US')}` };
      length = parsed.needBytes;
    }
    return { ok: false, error: 'unreadable .npy header' };
  } finally {
    await handle.close();
  }
}

/** A header whose shape needs more bytes than the file holds is a lie (or a truncated file). */
export function checkDataSize(header: NpyHeader, fileSize: number): NpyResult {
  if (header.itemSize === undefined) return { ok: true, header };
  const elements = header.shape.reduce((a, b) => a * b, 1);
  const needed = elements * header.itemSize;
  const available = fileSize - header.dataOffset;
  if (needed > available) {
    return {
      ok: false,
      error: `the .npy header declares shape ${header.shape.length === 1 ? `(${header.shape[0]},)` : `(${header.shape.join(', ')})`} of ${header.descr}: ${needed.toLocaleString('en-US')} data bytes, the file has ${available.toLocaleString('en-US')}`,
    };
  }
  return { ok: true, header };
}

/** `<f4` → 4, `|u1` → 1, `<U10` → 40 (UCS-4), `|b1` → 1; object arrays (`|O`) hold pickles: no size. */
function itemSize(descr: string): number | undefined {
  const kind = descr.replace(/^[<>|=]/, '');
  const code = kind[0];
  const digits = kind.slice(1);
  if (!code || !/^\d+$/.test(digits)) return undefined;
  const n = Number(digits);
  if (code === 'U') return 4 * n;
  if ('biufcSVmM?'.includes(code)) return n;
  return undefined;
}

type HeaderValue = string | boolean | number[];

/** The header dict, parsed with the Python grammar (it is a Python literal), never evaluated. */
function dictLiteral(text: string, parser: PythonParser): Map<string, HeaderValue> | undefined {
  const tree = parser.parse(text);
  if (!tree) return undefined;
  try {
    const statement = tree.rootNode.namedChildren[0];
    const dict = statement?.type === 'expression_statement' ? statement.namedChildren[0] : undefined;
    if (dict?.type !== 'dictionary' || tree.rootNode.hasError) return undefined;
    const fields = new Map<string, HeaderValue>();
    for (const pair of dict.namedChildren) {
      if (pair?.type !== 'pair') continue;
      const key = stringValue(pair.childForFieldName('key'));
      const value = pair.childForFieldName('value');
      if (key === undefined || !value) continue;
      if (value.type === 'true' || value.type === 'false') fields.set(key, value.type === 'true');
      else if (value.type === 'string') {
        const s = stringValue(value);
        if (s !== undefined) fields.set(key, s);
      } else if (value.type === 'tuple') {
        const dims = value.namedChildren.map((d) => (d?.type === 'integer' ? Number(d.text.replace(/_/g, '')) : NaN));
        if (dims.every((d) => Number.isSafeInteger(d) && d >= 0)) fields.set(key, dims);
      }
    }
    return fields;
  } finally {
    tree.delete();
  }
}

function stringValue(node: Node | null): string | undefined {
  if (node?.type !== 'string') return undefined;
  const parts = node.namedChildren.filter((c) => c !== null);
  if (parts.some((p) => p.type !== 'string_start' && p.type !== 'string_content' && p.type !== 'string_end')) return undefined;
  return parts.filter((p) => p.type === 'string_content').map((p) => p.text).join('');
}
