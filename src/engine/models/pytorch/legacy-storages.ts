import * as fs from 'node:fs';
import type { TensorInfo } from '../model-summary';
import { PyCall, PyDict, PyGlobal, PyPersistent, PyTuple, type PyValue } from '../pickle/values';
import { DTYPE_BYTES, STORAGE_DTYPES } from './storage-types';

/** The object graph of a checkpoint is walked once; a hostile one stops being walked here. */
const MAX_VISITS = 20_000_000;

/** A storage as the pickle names it: `('storage', torch.FloatStorage, key, location, numel, view)`. */
interface StorageId {
  typeName: string;
  elementBytes: number | undefined;
}

/**
 * Legacy (non-zip) `torch.save` files hold, after the object's pickle, a pickled list of storage keys
 * and then, in that order, each storage as an 8-byte little-endian element count followed by its raw
 * little-endian bytes (torch/serialization.py `_legacy_save`, `_write_file`). This turns the tensors'
 * `{storage, elementOffset}` locations into file byte offsets, reading only the 8-byte headers, and
 * throws an Error naming the storage when the file is truncated or its headers disagree with the pickle
 * (the tensors are then left as they were: their metadata stands, their weights cannot be read).
 */
export function placeLegacyStorages(file: string, sizeBytes: number, object: PyValue, keys: PyValue, start: number, tensors: TensorInfo[]): void {
  if (!Array.isArray(keys) || !keys.every((k): k is string => typeof k === 'string')) {
    throw new Error('the list of storage keys after the pickle is not a list of strings');
  }
  const ids = storageIds(object);
  const offsets = new Map<string, { dataOffset: number; numel: number; elementBytes: number }>();
  const fd = fs.openSync(file, 'r');
  try {
    const header = Buffer.alloc(8);
    let pos = start;
    keys.forEach((key, i) => {
      const where = `storage ${i + 1} of ${keys.length} (key ${key})`;
      const id = ids.get(key);
      if (!id) throw new Error(`${where} is listed after the pickle, but no tensor or storage in it uses that key`);
      if (id.elementBytes === undefined) throw new Error(`${where} has type ${id.typeName}, whose element size is unknown`);
      if (pos + 8 > sizeBytes || fs.readSync(fd, header, 0, 8, pos) !== 8) {
        throw new Error(`truncated legacy PyTorch file: the file ends at byte ${sizeBytes}, inside the 8-byte header of ${where} at byte ${pos}`);
      }
      const numel = header.readBigUInt64LE(0);
      const left = sizeBytes - pos - 8;
      if (numel * BigInt(id.elementBytes) > BigInt(left)) {
        throw new Error(`truncated legacy PyTorch file: ${where} declares ${numel} elements of ${id.elementBytes} bytes at byte ${pos + 8}, but only ${left} bytes follow`);
      }
      offsets.set(key, { dataOffset: pos + 8, numel: Number(numel), elementBytes: id.elementBytes });
      pos += 8 + Number(numel) * id.elementBytes;
    });
  } finally {
    fs.closeSync(fd);
  }
  const placed = tensors.map((tensor) => {
    const location = tensor.location;
    if (!location || !('storage' in location)) return location;
    const storage = offsets.get(location.storage);
    if (!storage) throw new Error(`tensor ${tensor.name} uses storage ${location.storage}, which the file does not contain`);
    if (location.elementOffset + tensor.numel > storage.numel) {
      throw new Error(`tensor ${tensor.name} needs elements ${location.elementOffset}–${location.elementOffset + tensor.numel} of a ${storage.numel}-element storage`);
    }
    return { byteOffset: storage.dataOffset + location.elementOffset * storage.elementBytes };
  });
  tensors.forEach((tensor, i) => (tensor.location = placed[i]));
}

/** Every storage persistent id reachable from the unpickled object, by key (bare storages included). */
function storageIds(root: PyValue): Map<string, StorageId> {
  const found = new Map<string, StorageId>();
  const seen = new Set<object>();
  const stack: PyValue[] = [root];
  for (let visits = 0; stack.length > 0 && visits < MAX_VISITS; visits++) {
    const value = stack.pop()!;
    if (value === null || typeof value !== 'object' || value instanceof Uint8Array || seen.has(value)) continue;
    seen.add(value);
    if (value instanceof PyPersistent) {
      const id = value.id instanceof PyTuple ? value.id.items : [];
      const [kind, type, key] = id;
      if (kind === 'storage' && typeof key === 'string' && type instanceof PyGlobal && !found.has(key)) {
        // UntypedStorage counts bytes; typed storages count elements of their dtype.
        const elementBytes = type.name === 'UntypedStorage' ? 1 : DTYPE_BYTES[STORAGE_DTYPES[type.name] ?? ''];
        found.set(key, { typeName: type.qualified, elementBytes });
      }
    } else if (Array.isArray(value)) {
      for (const item of value) stack.push(item);
    } else if (value instanceof PyTuple) {
      for (const item of value.items) stack.push(item);
    } else if (value instanceof PyDict) {
      for (const [k, v] of value.entries) stack.push(k, v);
    } else if (value instanceof PyCall) {
      stack.push(value.callable, value.state ?? null);
      for (const arg of value.args) stack.push(arg);
      for (const [k, v] of value.items) stack.push(k, v);
    }
  }
  return found;
}
