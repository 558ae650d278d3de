import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadH5 } from '../../../src/engine/models/keras/hdf5';
import { engine, FIXTURES } from '../../support/engine';

/**
 * The malformed-file corpus: every case is a real committed fixture cut or patched at a named
 * structural boundary (or a file that stands where a model should be), read through the same entry
 * point as the Problems panel, and must give exactly one `model-file-unreadable` finding with exactly
 * this message. Bytes are built at test time; only the zip bomb is committed (it must be a real zip).
 */
const MODELS = path.join(FIXTURES, 'models');

type Format = 'safetensors' | 'onnx' | 'pytorch-zip' | 'pytorch-legacy' | 'pickle' | 'gguf' | 'keras-h5' | 'keras' | 'tfjs';

interface MalformedCase {
  format: Format;
  what: string;
  /** The file to check, by name (readers are chosen by it), and any files beside it. */
  name: string;
  files: () => Buffer | Promise<Buffer> | Record<string, Buffer>;
  /** What the finding says after "Cannot read this model file: ". */
  error: string;
}

// ---- building malformed bytes from the committed fixtures ----

const fixture = (rel: string) => fs.readFileSync(path.join(MODELS, rel));
const cut = (rel: string, length: number) => () => fixture(rel).subarray(0, length);
/** The fixture with `edit` applied to a copy. */
const patched = (rel: string, edit: (bytes: Buffer) => void) => () => {
  const bytes = Buffer.from(fixture(rel));
  edit(bytes);
  return bytes;
};
/** Every occurrence of `from` replaced by `to` (same length: offsets stay valid). */
const renamed = (rel: string, from: string, to: string) =>
  patched(rel, (bytes) => {
    assert.equal(from.length, to.length);
    let count = 0;
    for (let at = bytes.indexOf(from, 0, 'latin1'); at >= 0; at = bytes.indexOf(from, at + 1, 'latin1'), count++) bytes.write(to, at, 'latin1');
    assert.ok(count > 0, `${from} not in ${rel}`);
  });
/** The offset of a string in a fixture (asserted present). */
const offsetOf = (bytes: Buffer, text: string, from = 0) => {
  const at = bytes.indexOf(text, from, 'latin1');
  assert.ok(at >= 0, `${text} not found`);
  return at;
};
/** The Git LFS pointer that a clone without `git lfs pull` holds instead of the fixture (git-lfs docs/spec.md). */
const lfsPointer = (rel: string) => () => {
  const bytes = fixture(rel);
  return Buffer.from(`version https://git-lfs.github.com/spec/v1\noid sha256:${crypto.createHash('sha256').update(bytes).digest('hex')}\nsize ${bytes.length}\n`);
};
const HTML = Buffer.from('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>404 Not Found</title>\n</head>\n<body><h1>Not Found</h1><p>The requested URL was not found on this server.</p></body>\n</html>\n');
const EMPTY = Buffer.alloc(0);

/** safetensors: the header rewritten by `edit`, padded with spaces to its old length when shorter (the format allows it). */
const SAFETENSORS = 'safetensors/mlp.safetensors';
const editHeader = (edit: (header: Record<string, { dtype: string; shape: number[]; data_offsets: number[] }>) => unknown) => () => {
  const bytes = fixture(SAFETENSORS);
  const length = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + length).toString('utf8'));
  const text = Buffer.from(JSON.stringify(edit(header) ?? header).padEnd(length, ' '));
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(text.length));
  return Buffer.concat([prefix, text, bytes.subarray(8 + length)]);
};
const SAFETENSORS_HEADER = Number(fixture(SAFETENSORS).readBigUInt64LE(0));

/** The central-directory record of a zip entry (APPNOTE 4.3.12): sizes at +20 and +24. */
const centralRecord = (bytes: Buffer, name: string) => {
  for (let at = bytes.indexOf('PK\x01\x02', 0, 'latin1'); at >= 0; at = bytes.indexOf('PK\x01\x02', at + 1, 'latin1')) {
    if (bytes.toString('latin1', at + 46, at + 46 + bytes.readUInt16LE(at + 28)) === name) return at;
  }
  assert.fail(`${name} not in the central directory`);
};
/** The end-of-central-directory record (APPNOTE 4.3.16): entry counts at +8/+10, directory offset at +16. */
const endRecord = (bytes: Buffer) => bytes.lastIndexOf('PK\x05\x06', undefined, 'latin1');
/** PyTorch also writes the ZIP64 end record (APPNOTE 4.3.14), which readers prefer: counts at +24/+32, offset at +48. */
const zip64EndRecord = (bytes: Buffer) => bytes.lastIndexOf('PK\x06\x06', undefined, 'latin1');

/** A pickle from raw opcodes (Python's pickletools documents them). */
const pickle = (...parts: (number[] | Buffer)[]) => () => Buffer.concat(parts.map((p) => Buffer.from(p)));

/** The object pickle of the legacy fixture: a plain pickle written by python3-torch (bytes 137..1073). */
const LEGACY = 'pytorch/legacy_state_dict.pt';
const plainPickle = () => fixture(LEGACY).subarray(137, 1073);

/** The TensorFlow.js fixture's folder with its model.json and shard replaced or edited. */
const TFJS = 'tfjs/classifier';
const tfjsFolder = (edit: (files: Record<string, Buffer>, manifest: { weightsManifest: { paths: unknown[]; weights: Record<string, unknown>[] }[] }) => void) => () => {
  const files: Record<string, Buffer> = {};
  for (const name of fs.readdirSync(path.join(MODELS, TFJS))) files[name] = fixture(`${TFJS}/${name}`);
  const manifest = JSON.parse(files['model.json'].toString('utf8'));
  edit(files, manifest);
  return { ...files, 'model.json': files['model.json'].equals(fixture(`${TFJS}/model.json`)) ? Buffer.from(JSON.stringify(manifest)) : files['model.json'] };
};
const SHARD = 'group1-shard1of1.bin';

/** A copy of the Keras 3.9 fixture whose model_config attribute is rewritten with h5wasm. */
const KERAS_H5 = 'keras/churn-ann-keras.h5';
const withModelConfig = (config: string) => async () => {
  const h5 = await loadH5();
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dl-doctor-h5-')), 'model.h5');
  fs.copyFileSync(path.join(MODELS, KERAS_H5), file);
  const handle = new h5.File(file, 'a');
  handle.delete_attribute('model_config');
  handle.create_attribute('model_config', config);
  handle.close();
  const bytes = fs.readFileSync(file);
  fs.rmSync(path.dirname(file), { recursive: true });
  return bytes;
};

const KERAS = 'keras/module_reference.keras';
const GGUF = 'gguf/tiny-llama.gguf';
const ZIP = 'pytorch/state_dict.pt';
const ONNX = 'onnx/net.onnx';
const NOT_FOUND_PAGE = 'looks like an HTML page (a download error page?) titled "404 Not Found", not a model';
/** What the finding says of the LFS pointer of a fixture. */
const lfs = (rel: string) =>
  `a Git LFS pointer (${lfsPointer(rel)().length} bytes), not the model: the ${fixture(rel).length.toLocaleString('en-US')}-byte file it stands for was never downloaded; run \`git lfs pull\``;

// ---- the corpus ----

/** Files that stand where a model should be, once per reader (each reader is chosen by the name). */
const PLACEHOLDERS: [Format, string, string][] = [
  ['safetensors', 'model.safetensors', SAFETENSORS],
  ['onnx', 'model.onnx', ONNX],
  ['pytorch-zip', 'model.pt', ZIP],
  ['pytorch-legacy', 'pytorch_model.bin', LEGACY],
  ['pickle', 'model.pkl', 'unsafe/os_system.pkl'],
  ['gguf', 'model.gguf', GGUF],
  ['keras-h5', 'model.h5', KERAS_H5],
  ['keras', 'model.keras', KERAS],
  ['tfjs', 'model.json', `${TFJS}/model.json`],
];

const CASES: MalformedCase[] = [
  ...PLACEHOLDERS.flatMap(([format, name, real]): MalformedCase[] => [
    { format, name, what: 'an empty file', files: () => EMPTY, error: 'empty file' },
    { format, name, what: 'a Git LFS pointer instead of the file', files: lfsPointer(real), error: lfs(real) },
    { format, name, what: 'an HTML error page saved under the name', files: () => HTML, error: NOT_FOUND_PAGE },
  ]),

  // safetensors: 8-byte header length, JSON header, tensor data
  { format: 'safetensors', name: 'm.safetensors', what: 'cut inside the 8-byte header length', files: cut(SAFETENSORS, 5), error: 'truncated: 5 bytes, the 8-byte header length alone needs 8' },
  { format: 'safetensors', name: 'm.safetensors', what: 'cut inside the JSON header', files: cut(SAFETENSORS, 8 + SAFETENSORS_HEADER - 1), error: `truncated header: declares ${SAFETENSORS_HEADER} bytes, file has ${SAFETENSORS_HEADER - 1} after the length` },
  { format: 'safetensors', name: 'm.safetensors', what: 'cut at the end of the header', files: cut(SAFETENSORS, 8 + SAFETENSORS_HEADER), error: 'truncated data: tensors need 2704 bytes, file has 0' },
  { format: 'safetensors', name: 'm.safetensors', what: 'cut one byte before the end of the data', files: cut(SAFETENSORS, 8 + SAFETENSORS_HEADER + 2703), error: 'truncated data: tensors need 2704 bytes, file has 2703' },
  { format: 'safetensors', name: 'm.safetensors', what: 'a header length of 1 TiB', files: patched(SAFETENSORS, (b) => b.writeBigUInt64LE(1n << 40n, 0)), error: 'header declares 1099511627776 bytes, above the 104857600-byte limit' },
  { format: 'safetensors', name: 'm.safetensors', what: 'a header length 10 bytes short', files: patched(SAFETENSORS, (b) => b.writeBigUInt64LE(BigInt(SAFETENSORS_HEADER - 10), 0)), error: "header is not valid JSON: Expected ',' or ']' after array element in JSON at position 294" },
  { format: 'safetensors', name: 'm.safetensors', what: 'a header that is a JSON array', files: editHeader(() => []), error: 'header is not a JSON object' },
  { format: 'safetensors', name: 'm.safetensors', what: 'an unknown dtype', files: editHeader((h) => void (h['0.weight'].dtype = 'F33')), error: `tensor '0.weight' has unknown dtype "F33"` },
  { format: 'safetensors', name: 'm.safetensors', what: 'a shape that lies about the size', files: editHeader((h) => void (h['0.weight'].shape = [33, 16])), error: "tensor '0.weight' holds 2048 bytes but F32[33,16] needs 2112" },
  { format: 'safetensors', name: 'm.safetensors', what: 'a negative dimension', files: editHeader((h) => void (h['0.weight'].shape = [-32, 16])), error: "tensor '0.weight' has an invalid shape [-32,16]" },
  { format: 'safetensors', name: 'm.safetensors', what: 'more than 64 dimensions', files: editHeader((h) => void (h['0.bias'].shape = new Array(65).fill(1))), error: "tensor '0.bias' has 65 dimensions, more than 64" },
  { format: 'safetensors', name: 'm.safetensors', what: 'data offsets in the wrong order', files: editHeader((h) => void h['0.bias'].data_offsets.reverse()), error: "tensor '0.bias' has invalid data_offsets [2176,2048]" },
  { format: 'safetensors', name: 'm.safetensors', what: 'overlapping tensors', files: editHeader((h) => void (h['0.bias'].data_offsets = h['0.bias'].data_offsets.map((o) => o - 4))), error: "tensor '0.bias' overlaps the tensor before it (starts at 2044, previous ends at 2048)" },
  { format: 'safetensors', name: 'm.safetensors', what: 'a gap between tensors', files: editHeader((h) => void (h['0.bias'].data_offsets = h['0.bias'].data_offsets.map((o) => o + 4))), error: "gap in the data before tensor '0.bias' (bytes 2048..2052 belong to no tensor)" },
  { format: 'safetensors', name: 'm.safetensors', what: 'bytes after the last tensor', files: () => Buffer.concat([fixture(SAFETENSORS), Buffer.alloc(4)]), error: '4 bytes after the last tensor belong to no tensor' },
  { format: 'safetensors', name: 'm.safetensors', what: 'a PyTorch zip renamed', files: () => fixture(ZIP), error: 'this is a zip archive (a PyTorch checkpoint or a .keras model?), not a safetensors file (renamed, or saved under the wrong extension)' },

  // ONNX: a protobuf ModelProto (header fields, then the graph with its initializers)
  { format: 'onnx', name: 'm.onnx', what: 'cut inside the first field', files: cut(ONNX, 1), error: 'truncated ONNX model: the file ends inside the ir_version field at byte 0' },
  { format: 'onnx', name: 'm.onnx', what: 'cut before the graph', files: cut(ONNX, 20), error: 'truncated ONNX model: the file ends inside the length of the graph field at byte 19' },
  { format: 'onnx', name: 'm.onnx', what: 'cut inside an initializer', files: cut(ONNX, 1000), error: 'truncated ONNX model: the graph field at byte 19 declares 6,520 bytes, the file ends at byte 1,000' },
  { format: 'onnx', name: 'm.onnx', what: 'cut 5 bytes before the end', files: cut(ONNX, fixture(ONNX).length - 5), error: 'truncated ONNX model: the graph field at byte 19 declares 6,520 bytes, the file ends at byte 6,541' },
  { format: 'onnx', name: 'm.onnx', what: 'a graph length that lies', files: patched(ONNX, (b) => b.set([0xff, 0x7f], offsetOf(b, '\x3a\xf8\x32') + 1)), error: 'truncated ONNX model: the graph field at byte 19 declares 16,383 bytes, the file ends at byte 6,546' },
  { format: 'onnx', name: 'm.onnx', what: 'an invalid wire type', files: patched(ONNX, (b) => (b[0] = 0x0f)), error: 'corrupt ONNX model: the ir_version field at byte 0 has invalid wire type 7' },
  { format: 'onnx', name: 'm.onnx', what: 'dims that lie about the raw data', files: patched(ONNX, (b) => b.set([0x08, 0x05], offsetOf(b, '\x08\x04\x08\x01\x08\x03\x08\x03'))), error: "initializer 'conv.weight' declares float32[5,1,3,3] (180 bytes) but holds 144 bytes of raw data" },
  { format: 'onnx', name: 'm.onnx', what: 'a TensorFlow.js model.json renamed', files: () => fixture(`${TFJS}/model.json`), error: 'this is JSON text, not an ONNX model (renamed, or saved under the wrong extension)' },
  { format: 'onnx', name: 'm.onnx', what: 'a GGUF file renamed', files: () => fixture(GGUF), error: 'this is a GGUF file (a llama.cpp model), not an ONNX model (renamed, or saved under the wrong extension)' },

  // PyTorch zip: local entries (data.pkl, data/N storages), then the central directory
  { format: 'pytorch-zip', name: 'm.pt', what: 'cut inside the zip signature', files: cut(ZIP, 2), error: "truncated zip archive: 2 bytes, the first entry's header alone needs 30" },
  { format: 'pytorch-zip', name: 'm.pt', what: "cut inside the first entry's header", files: cut(ZIP, 40), error: 'truncated zip archive: the file ends inside the header of entry 1 (40 bytes in all)' },
  { format: 'pytorch-zip', name: 'm.pt', what: 'cut inside data.pkl', files: cut(ZIP, 500), error: "truncated zip archive: the file ends inside entry 'state_dict/data.pkl' (its data starts at byte 64, 500 bytes in all)" },
  { format: 'pytorch-zip', name: 'm.pt', what: 'cut after data.pkl', files: cut(ZIP, 935), error: "truncated zip archive: the file ends after entry 1 ('state_dict/data.pkl'), before its table of contents (the central directory)" },
  { format: 'pytorch-zip', name: 'm.pt', what: 'cut inside a storage', files: cut(ZIP, 5000), error: "truncated zip archive: the file ends inside entry 'state_dict/data/7' (its data starts at byte 2,048, 5,000 bytes in all)" },
  { format: 'pytorch-zip', name: 'm.pt', what: 'cut inside the central directory', files: cut(ZIP, fixture(ZIP).length - 200), error: 'truncated zip archive: its table of contents (the central directory, after 11 complete entries) is cut short at byte 8,676' },
  { format: 'pytorch-zip', name: 'm.pt', what: 'cut inside the end record', files: cut(ZIP, fixture(ZIP).length - 10), error: 'truncated zip archive: its table of contents (the central directory, after 11 complete entries) is cut short at byte 8,866' },
  { format: 'pytorch-zip', name: 'zip_bomb.pt', what: 'a zip bomb (300 MB data.pkl)', files: () => fixture('malformed/zip_bomb.pt'), error: 'data.pkl is 314572800 bytes, above the 268435456-byte limit' },
  { format: 'pytorch-zip', name: 'm.pt', what: 'no data.pkl', files: renamed(ZIP, 'data.pkl', 'data.pkx'), error: 'zip archive has no data.pkl: not a PyTorch checkpoint' },
  { format: 'pytorch-zip', name: 'm.pt', what: 'a storage entry missing', files: renamed(ZIP, 'state_dict/data/7', 'state_dict/data/x'), error: "data.pkl uses storage '7' but the archive has no data/7 entry" },
  { format: 'pytorch-zip', name: 'm.pt', what: 'a storage shorter than data.pkl declares', files: patched(ZIP, (b) => { const at = centralRecord(b, 'state_dict/data/7'); b.writeUInt32LE(5000, at + 20); b.writeUInt32LE(5000, at + 24); }), error: 'storage data/7 holds 5,000 bytes but data.pkl declares 1,440 float32 elements (5,760 bytes)' },
  { format: 'pytorch-zip', name: 'm.pt', what: 'an unknown opcode in data.pkl', files: patched(ZIP, (b) => (b[offsetOf(b, '\x80\x02') + 2] = 0xff)), error: 'unknown opcode 0xff (at byte 2), in data.pkl' },
  { format: 'pytorch-zip', name: 'm.pt', what: 'an end record declaring 2^40 entries', files: patched(ZIP, (b) => { const at = zip64EndRecord(b); b.writeBigUInt64LE(1n << 40n, at + 24); b.writeBigUInt64LE(1n << 40n, at + 32); }), error: "corrupt zip archive: its end record declares 1,099,511,627,776 entries, more than the file's 8,876 bytes can hold" },
  { format: 'pytorch-zip', name: 'm.pt', what: 'an end record declaring one entry too many', files: patched(ZIP, (b) => { const at = zip64EndRecord(b); b.writeBigUInt64LE(12n, at + 24); b.writeBigUInt64LE(12n, at + 32); }), error: 'corrupt zip archive: entry 12 of the 12 its end record declares is not a central-directory record (at byte 8,778)' },
  { format: 'pytorch-zip', name: 'm.pt', what: 'a central directory offset past the end', files: patched(ZIP, (b) => b.writeBigUInt64LE(1n << 40n, zip64EndRecord(b) + 48)), error: 'corrupt zip archive: entry 1 of the 11 its end record declares lies past the end of the file' },
  { format: 'pytorch-zip', name: 'm.pt', what: 'a Keras HDF5 file renamed', files: () => fixture(KERAS_H5), error: 'this is an HDF5 file (a Keras .h5 model?), not a PyTorch checkpoint or pickle (renamed, or saved under the wrong extension)' },

  // PyTorch legacy: five pickles (magic number, protocol, system info, object, storage keys), then the storages
  { format: 'pytorch-legacy', name: 'm.pt', what: 'cut inside the magic number', files: cut(LEGACY, 10), error: 'truncated: needs 10 bytes, 6 left (at byte 2)' },
  { format: 'pytorch-legacy', name: 'm.pt', what: 'cut inside the protocol-version pickle', files: cut(LEGACY, 18), error: "truncated: needs 2 bytes, 0 left (at byte 17), in the legacy file's protocol-version pickle" },
  { format: 'pytorch-legacy', name: 'm.pt', what: 'cut inside the system-info pickle', files: cut(LEGACY, 100), error: "truncated: needs 5 bytes, 0 left (at byte 95), in the legacy file's system-info pickle" },
  { format: 'pytorch-legacy', name: 'm.pt', what: 'cut inside the object pickle', files: cut(LEGACY, 500), error: "truncated: file ends inside the pickle (at byte 500), in the legacy file's object pickle" },
  { format: 'pytorch-legacy', name: 'm.pt', what: 'cut inside the storage-key list', files: cut(LEGACY, 1100), error: "truncated: needs 9 bytes, 0 left (at byte 1095), in the legacy file's storage-key list" },
  { format: 'pytorch-legacy', name: 'm.pt', what: "cut inside the first storage's element count", files: cut(LEGACY, 1230), error: "truncated storage data: the element count of storage '647017312' needs bytes 1,225..1,233, the file ends at byte 1,230" },
  { format: 'pytorch-legacy', name: 'm.pt', what: 'cut inside a storage', files: cut(LEGACY, 3000), error: "truncated storage data: storage '708315344' (1,440 float32 elements) needs bytes 1,345..7,105, the file ends at byte 3,000" },
  { format: 'pytorch-legacy', name: 'm.pt', what: 'cut one byte before the end', files: cut(LEGACY, fixture(LEGACY).length - 1), error: "truncated storage data: storage '713129616' (10 float32 elements) needs bytes 7,289..7,329, the file ends at byte 7,328" },
  { format: 'pytorch-legacy', name: 'm.pt', what: 'an element count that lies', files: patched(LEGACY, (b) => b.writeBigUInt64LE(5n, 1225)), error: "storage '647017312' records 5 elements (at byte 1,225) but the pickled object declares 4" },
  { format: 'pytorch-legacy', name: 'm.pt', what: 'a damaged magic number', files: patched(LEGACY, (b) => (b[4] ^= 0xff)), error: 'invalid magic number 0x1950a86a20f9469cfc93 (legacy torch.save files start with 0x1950a86a20f9469cfc6c): corrupt file' },
  { format: 'pytorch-legacy', name: 'm.pt', what: 'a string length of 4 GiB in the system info', files: patched(LEGACY, (b) => b.writeUInt32LE(0xffffffff, offsetOf(b, 'X', 21) + 1)), error: "truncated: needs 4294967295 bytes, 7297 left (at byte 27), in the legacy file's system-info pickle" },

  // plain pickles
  { format: 'pickle', name: 'm.pkl', what: 'cut before STOP', files: () => plainPickle().subarray(0, -1), error: 'truncated: file ends inside the pickle (at byte 935)' },
  { format: 'pickle', name: 'm.pkl', what: 'an unknown opcode', files: pickle([0x80, 0x02, 0xff]), error: 'unknown opcode 0xff (at byte 2)' },
  { format: 'pickle', name: 'm.pkl', what: 'a memo entry read before it is written', files: pickle([0x80, 0x02, 0x68, 0x05, 0x2e]), error: 'memo entry 5 read before it was written (at byte 2)' },
  { format: 'pickle', name: 'm.pkl', what: 'STACK_GLOBAL on two integers', files: pickle([0x80, 0x04, 0x4b, 0x01, 0x4b, 0x02, 0x93, 0x2e]), error: 'STACK_GLOBAL needs two strings (at byte 6)' },
  { format: 'pickle', name: 'm.pkl', what: 'an 8-byte string length near 2^63', files: pickle([0x80, 0x04, 0x8d, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]), error: 'length 9223372036854775807 is larger than the file (at byte 2)' },
  { format: 'pickle', name: 'm.pkl', what: 'STOP on an empty stack', files: pickle([0x80, 0x02, 0x2e]), error: 'stack underflow (at byte 2)' },
  { format: 'pickle', name: 'm.pkl', what: 'a text INT that is not a number', files: pickle([0x80, 0x02], Buffer.from('I12x\n.')), error: "bad INT literal '12x' (at byte 2)" },
  { format: 'pickle', name: 'm.pkl', what: 'a million nested MARKs', files: pickle([0x80, 0x02], Buffer.alloc(1_000_001, 0x28), [0x2e]), error: 'stack deeper than 1000000 (at byte 1000002)' },

  // GGUF: magic, version, counts, metadata key-values, tensor infos, aligned tensor data
  { format: 'gguf', name: 'm.gguf', what: 'cut inside the magic number', files: cut(GGUF, 2), error: 'truncated GGUF header: the file (2 bytes) ends inside the fixed header (magic, version and counts)' },
  { format: 'gguf', name: 'm.gguf', what: 'cut inside the counts', files: cut(GGUF, 20), error: 'truncated GGUF header: the file (20 bytes) ends inside the fixed header (magic, version and counts)' },
  { format: 'gguf', name: 'm.gguf', what: 'cut inside the first metadata entry', files: cut(GGUF, 40), error: 'metadata entry 1 of 4: a 20-byte string at byte 24 runs past the end of the file (40 bytes)' },
  { format: 'gguf', name: 'm.gguf', what: 'cut inside a metadata value', files: cut(GGUF, 100), error: "truncated GGUF header: the file (100 bytes) ends inside metadata entry 2 of 4 ('general.name')" },
  { format: 'gguf', name: 'm.gguf', what: 'cut inside the first tensor info', files: cut(GGUF, 200), error: 'tensor info 1 of 4: a 17-byte string at byte 181 runs past the end of the file (200 bytes)' },
  { format: 'gguf', name: 'm.gguf', what: 'cut inside the alignment padding', files: cut(GGUF, 415), error: "truncated tensor data: tensor 'token_embd.weight' needs bytes 416..1,440, the file ends at byte 415" },
  { format: 'gguf', name: 'm.gguf', what: 'cut inside the last tensor', files: cut(GGUF, 1750), error: "truncated tensor data: tensor 'output_norm.weight' needs bytes 1,728..1,760, the file ends at byte 1,750" },
  { format: 'gguf', name: 'm.gguf', what: 'the magic of the pre-GGUF GGML format', files: patched(GGUF, (b) => b.write('GGML', 0, 'latin1')), error: 'not a GGUF file: it starts with "GGML", not "GGUF"' },
  { format: 'gguf', name: 'm.gguf', what: 'version 99', files: patched(GGUF, (b) => b.writeUInt32LE(99, 4)), error: 'unsupported GGUF version 99 (1 to 3 exist)' },
  { format: 'gguf', name: 'm.gguf', what: 'a tensor count of 2^40', files: patched(GGUF, (b) => b.writeBigUInt64LE(1n << 40n, 8)), error: "the GGUF header declares 1,099,511,627,776 tensors, more than the file's 1,760 bytes can hold" },
  { format: 'gguf', name: 'm.gguf', what: 'a metadata count of 2^40', files: patched(GGUF, (b) => b.writeBigUInt64LE(1n << 40n, 16)), error: "the GGUF header declares 1,099,511,627,776 metadata entries, more than the file's 1,760 bytes can hold" },
  { format: 'gguf', name: 'm.gguf', what: 'a key length of 2^40', files: patched(GGUF, (b) => b.writeBigUInt64LE(1n << 40n, 24)), error: 'metadata entry 1 of 4: a 1,099,511,627,776-byte string at byte 24 runs past the end of the file (1,760 bytes)' },
  { format: 'gguf', name: 'm.gguf', what: 'an unknown metadata value type', files: patched(GGUF, (b) => b.writeUInt32LE(99, offsetOf(b, 'general.architecture') + 20)), error: "metadata entry 1 of 4 ('general.architecture'): unknown value type 99 (at byte 52)" },
  { format: 'gguf', name: 'm.gguf', what: 'a tensor with 9 dimensions', files: patched(GGUF, (b) => b.writeUInt32LE(9, offsetOf(b, 'token_embd.weight') + 17)), error: "tensor info 1 of 4 ('token_embd.weight') declares 9 dimensions, GGUF tensors have at most 4" },
  { format: 'gguf', name: 'm.gguf', what: 'an unknown ggml tensor type', files: patched(GGUF, (b) => b.writeUInt32LE(99, offsetOf(b, 'token_embd.weight') + 17 + 4 + 16)), error: "tensor 'token_embd.weight' has unknown ggml type 99" },
  { format: 'gguf', name: 'm.gguf', what: 'a tensor offset past the end', files: patched(GGUF, (b) => b.writeBigUInt64LE(1n << 20n, offsetOf(b, 'output_norm.weight') + 18 + 4 + 8 + 4)), error: "truncated tensor data: tensor 'output_norm.weight' needs bytes 1,048,992..1,049,024, the file ends at byte 1,760" },

  // Keras HDF5: signature, superblock (with the end-of-file address), then the object tree
  { format: 'keras-h5', name: 'm.h5', what: 'cut inside the signature', files: cut(KERAS_H5, 4), error: 'truncated HDF5 file: 4 bytes, its signature alone needs 8' },
  { format: 'keras-h5', name: 'm.h5', what: 'cut inside the superblock', files: cut(KERAS_H5, 30), error: 'truncated HDF5 file: 30 bytes, the file ends inside its superblock' },
  { format: 'keras-h5', name: 'm.h5', what: 'cut inside the object tree', files: cut(KERAS_H5, 2000), error: 'truncated HDF5 file: its superblock declares 62,928 bytes, the file has 2,000' },
  { format: 'keras-h5', name: 'm.h5', what: 'cut 100 bytes before the end', files: cut(KERAS_H5, fixture(KERAS_H5).length - 100), error: 'truncated HDF5 file: its superblock declares 62,928 bytes, the file has 62,828' },
  { format: 'keras-h5', name: 'm.h5', what: 'a damaged signature', files: patched(KERAS_H5, (b) => (b[1] = 0x68)), error: 'not an HDF5 file: no HDF5 signature at its start or after a user block' },
  { format: 'keras-h5', name: 'm.h5', what: 'an end-of-file address that lies', files: patched(KERAS_H5, (b) => b.writeBigUInt64LE(100_000n, 40)), error: 'truncated HDF5 file: its superblock declares 100,000 bytes, the file has 62,928' },
  { format: 'keras-h5', name: 'm.h5', what: 'superblock version 9', files: patched(KERAS_H5, (b) => (b[8] = 9)), error: 'unsupported HDF5 superblock version 9 (at byte 8)' },
  { format: 'keras-h5', name: 'm.h5', what: '3-byte addresses', files: patched(KERAS_H5, (b) => (b[13] = 3)), error: 'corrupt HDF5 superblock: addresses of 3 bytes (2, 4 or 8 are valid)' },
  { format: 'keras-h5', name: 'm.h5', what: 'a root group address past the end', files: patched(KERAS_H5, (b) => b.writeBigUInt64LE(60_000n, 64)), error: 'not a readable HDF5 file: bad object header version number' },
  { format: 'keras-h5', name: 'm.h5', what: 'a model_config that is not JSON', files: withModelConfig('{"class_name": "Sequential", "config": {'), error: "the model_config attribute is not valid JSON: Expected property name or '}' in JSON at position 40" },
  { format: 'keras-h5', name: 'm.h5', what: 'a PyTorch zip renamed', files: () => fixture(ZIP), error: 'this is a zip archive (a PyTorch checkpoint or a .keras model?), not a Keras HDF5 model (renamed, or saved under the wrong extension)' },

  // Keras 3 .keras: a zip of config.json, metadata.json and model.weights.h5
  { format: 'keras', name: 'm.keras', what: "cut inside the first entry's header", files: cut(KERAS, 30), error: 'truncated zip archive: the file ends inside the header of entry 1 (30 bytes in all)' },
  { format: 'keras', name: 'm.keras', what: 'cut inside config.json', files: cut(KERAS, 200), error: "truncated zip archive: entry 'config.json' needs bytes 41..408, the file ends at byte 200" },
  { format: 'keras', name: 'm.keras', what: 'cut inside model.weights.h5', files: cut(KERAS, 1000), error: "truncated zip archive: entry 'model.weights.h5' needs bytes 560..5,376, the file ends at byte 1,000" },
  { format: 'keras', name: 'm.keras', what: 'cut inside the central directory', files: cut(KERAS, fixture(KERAS).length - 10), error: 'truncated zip archive: its table of contents (the central directory, after 3 complete entries) is cut short at byte 5,566' },
  { format: 'keras', name: 'm.keras', what: 'no config.json', files: renamed(KERAS, 'config.json', 'configs.jsn'), error: '.keras archive has no config.json' },
  { format: 'keras', name: 'm.keras', what: 'a config.json that is not JSON', files: patched(KERAS, (b) => (b[offsetOf(b, '{', offsetOf(b, 'config.json'))] = 0x78)), error: `config.json is not valid JSON: Unexpected token 'x', "x"module":"... is not valid JSON` },
  { format: 'keras', name: 'm.keras', what: 'a metadata.json that is not JSON', files: patched(KERAS, (b) => (b[offsetOf(b, '{', offsetOf(b, 'metadata.json'))] = 0x78)), error: `metadata.json is not valid JSON: Unexpected token 'x', "x"keras_ve"... is not valid JSON` },
  { format: 'keras', name: 'm.keras', what: 'a config.json declared as 2 GB', files: patched(KERAS, (b) => { const at = centralRecord(b, 'config.json'); b.writeUInt32LE(0x7fffffff, at + 20); b.writeUInt32LE(0x7fffffff, at + 24); }), error: 'config.json is 2147483647 bytes, above the 67108864-byte limit' },
  { format: 'keras', name: 'm.keras', what: 'a model.weights.h5 whose superblock declares more bytes', files: patched(KERAS, (b) => { const h5 = offsetOf(b, '\x89HDF'); b.writeBigUInt64LE(100_000n, h5 + 40); }), error: 'model.weights.h5: truncated HDF5 file: its superblock declares 100,000 bytes, the file has 4,816' },
  { format: 'keras', name: 'm.keras', what: 'a model.weights.h5 that is not HDF5', files: patched(KERAS, (b) => (b[offsetOf(b, '\x89HDF') + 1] = 0x68)), error: 'model.weights.h5: not an HDF5 file: no HDF5 signature at its start or after a user block' },
  { format: 'keras', name: 'm.keras', what: 'a central directory offset pointing into config.json', files: patched(KERAS, (b) => b.writeUInt32LE(100, endRecord(b) + 16)), error: 'corrupt zip archive: entry 1 of the 3 its end record declares is not a central-directory record (at byte 100)' },
  { format: 'keras', name: 'm.keras', what: 'a Keras HDF5 file renamed', files: () => fixture(KERAS_H5), error: 'this is an HDF5 file (a Keras .h5 model?), not a Keras 3 .keras archive (renamed, or saved under the wrong extension)' },

  // TensorFlow.js: model.json (topology + weights manifest) and its weight shards
  { format: 'tfjs', name: 'model.json', what: 'a missing shard', files: tfjsFolder((files) => delete files[SHARD]), error: `missing weight shard ${SHARD} (next to model.json)` },
  { format: 'tfjs', name: 'model.json', what: 'a truncated shard', files: tfjsFolder((files) => (files[SHARD] = files[SHARD].subarray(0, 1000))), error: 'weight shards hold 1,000 bytes but the manifest needs 1,036: a shard is truncated, missing or from another model' },
  { format: 'tfjs', name: 'model.json', what: 'a shard with extra bytes', files: tfjsFolder((files) => (files[SHARD] = Buffer.concat([files[SHARD], Buffer.alloc(4)]))), error: 'weight shards hold 1,040 bytes but the manifest needs 1,036: a shard is truncated, missing or from another model' },
  { format: 'tfjs', name: 'model.json', what: 'a shard that is a Git LFS pointer', files: tfjsFolder((files) => (files[SHARD] = lfsPointer(`${TFJS}/${SHARD}`)())), error: 'weight shard group1-shard1of1.bin is a Git LFS pointer (129 bytes), not the model: the 1,036-byte file it stands for was never downloaded; run `git lfs pull`' },
  { format: 'tfjs', name: 'model.json', what: 'a shard that is an HTML page', files: tfjsFolder((files) => (files[SHARD] = HTML)), error: 'weight shard group1-shard1of1.bin is an HTML page (a download error page?) titled "404 Not Found", not a model' },
  { format: 'tfjs', name: 'model.json', what: 'an empty shard', files: tfjsFolder((files) => (files[SHARD] = EMPTY)), error: 'weight shard group1-shard1of1.bin is empty' },
  { format: 'tfjs', name: 'model.json', what: 'a shard path that leaves the folder', files: tfjsFolder((_files, manifest) => (manifest.weightsManifest[0].paths = ['../../etc/passwd'])), error: 'weight shard "../../etc/passwd" leaves the model folder' },
  { format: 'tfjs', name: 'model.json', what: 'a model.json cut in half', files: tfjsFolder((files) => (files['model.json'] = files['model.json'].subarray(0, files['model.json'].length >> 1))), error: 'truncated or corrupt TensorFlow.js model.json: Unterminated string in JSON at position 794' },
  { format: 'tfjs', name: 'model.json', what: 'an unknown weight dtype', files: tfjsFolder((_files, manifest) => (manifest.weightsManifest[0].weights[0].dtype = 'float33')), error: `weight 'dense_Dense1/kernel' has unknown dtype "float33"` },
  { format: 'tfjs', name: 'model.json', what: 'a negative dimension', files: tfjsFolder((_files, manifest) => (manifest.weightsManifest[0].weights[0].shape = [-1, 8])), error: "weight 'dense_Dense1/kernel' has an invalid shape [-1,8]" },
  { format: 'tfjs', name: 'model.json', what: 'a manifest group without paths', files: tfjsFolder((_files, manifest) => delete (manifest.weightsManifest[0] as { paths?: unknown }).paths), error: 'weightsManifest group without paths or weights' },
];

describe('malformed model files: an exact message for each, never an exception', () => {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dl-doctor-malformed-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  CASES.forEach((c, i) => {
    it(`${c.format}: ${c.what}`, async () => {
      const folder = path.join(dir, String(i));
      fs.mkdirSync(folder);
      const built = await c.files();
      const files = Buffer.isBuffer(built) ? { [c.name]: built } : built;
      for (const [name, bytes] of Object.entries(files)) fs.writeFileSync(path.join(folder, name), bytes);
      const result = await (await engine()).checkModelFile(path.join(folder, c.name));
      assert.deepEqual(result?.ruleErrors, []);
      assert.deepEqual(result?.findings.map((f) => [f.rule, f.severity]), [['model-file-unreadable', 'warning']]);
      assert.equal(result!.findings[0].message, `Cannot read this model file: ${c.error}. It cannot be checked for unsafe content; download or copy it again.`);
    });
  });

  it('holds 137 distinct cases, 110 of them cut or patched at a structural boundary, several for every format', () => {
    const keys = CASES.map((c) => `${c.format}: ${c.what}`);
    assert.equal(new Set(keys).size, keys.length, 'every case is distinct');
    const perFormat = Object.fromEntries(PLACEHOLDERS.map(([format]) => [format, CASES.filter((c) => c.format === format).length]));
    assert.deepEqual(perFormat, { safetensors: 19, onnx: 12, 'pytorch-zip': 19, 'pytorch-legacy': 14, pickle: 11, gguf: 19, 'keras-h5': 14, keras: 15, tfjs: 14 });
    assert.equal(CASES.length, 137);
    assert.equal(CASES.length - PLACEHOLDERS.length * 3, 110);
    assert.ok(CASES.length >= 60 && Object.values(perFormat).every((count) => count >= 5));
  });
});
