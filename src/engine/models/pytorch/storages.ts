import type { TensorInfo } from '../model-summary';
import { PyGlobal, PyPersistent, PyTuple } from '../pickle/values';
import { withFile } from '../sniff';
import { DTYPE_BYTES, STORAGE_DTYPES } from './storage-types';

/** A storage as the pickle declares it: `('storage', torch.FloatStorage, key, location, numel)`. */
export interface DeclaredStorage {
  key: string;
  dtype: string;
  numel: number;
  /** Bytes the storage must hold (numel × element size), when the dtype is known. */
  bytes?: number;
}

/** The storages a pickle's persistent ids declare, by key (the first declaration wins). */
export function declaredStorages(persistent: readonly PyPersistent[]): Map<string, DeclaredStorage> {
  const storages = new Map<string, DeclaredStorage>();
  for (const { id } of persistent) {
    if (!(id instanceof PyTuple) || id.items[0] !== 'storage') continue;
    const [, type, key, , numel] = id.items;
    if (typeof key !== 'string' || typeof numel !== 'number' || storages.has(key)) continue;
    const dtype = type instanceof PyGlobal ? (STORAGE_DTYPES[type.name] ?? type.name) : 'unknown';
    const size = DTYPE_BYTES[dtype];
    storages.set(key, { key, dtype, numel, ...(size ? { bytes: numel * size } : {}) });
  }
  return storages;
}

const n = (value: number) => value.toLocaleString('en-US');

/**
 * Checks a zip checkpoint's `data/<key>` entries against the storages data.pkl declares: torch.load
 * fails on a missing entry or one shorter than its storage.
 */
export function zipStorageProblem(declared: Map<string, DeclaredStorage>, entries: Map<string, number>): string | undefined {
  for (const storage of declared.values()) {
    const stored = entries.get(storage.key);
    if (stored === undefined) return `data.pkl uses storage '${storage.key}' but the archive has no data/${storage.key} entry`;
    if (storage.bytes !== undefined && stored < storage.bytes) {
      return `storage data/${storage.key} holds ${n(stored)} bytes but data.pkl declares ${n(storage.numel)} ${storage.dtype} elements (${n(storage.bytes)} bytes)`;
    }
  }
  return undefined;
}

/**
 * Legacy torch.save files end with each storage in the order of the storage-key list: an 8-byte
 * little-endian element count, then the raw elements (torch/serialization.py `_legacy_save`,
 * `storage._write_file`). Checks each count against the pickle's declaration and that the file holds
 * every byte, reading 8 bytes per storage, and returns where each storage's elements start (or what
 * is wrong).
 */
export function legacyStorageOffsets(file: string, start: number, keys: readonly string[], declared: Map<string, DeclaredStorage>): Map<string, number> | string {
  return withFile(file, (read, size) => {
    const offsets = new Map<string, number>();
    let at = start;
    for (const key of keys) {
      const storage = declared.get(key);
      if (!storage?.bytes) return `storage key '${key}' names no storage of a known dtype in the pickled object`;
      if (at + 8 > size) return `truncated storage data: the element count of storage '${key}' needs bytes ${n(at)}..${n(at + 8)}, the file ends at byte ${n(size)}`;
      const recorded = read(at, 8).readBigUInt64LE(0);
      if (recorded !== BigInt(storage.numel)) {
        return `storage '${key}' records ${recorded} elements (at byte ${n(at)}) but the pickled object declares ${n(storage.numel)}`;
      }
      const end = at + 8 + storage.bytes;
      if (end > size) {
        return `truncated storage data: storage '${key}' (${n(storage.numel)} ${storage.dtype} elements) needs bytes ${n(at + 8)}..${n(end)}, the file ends at byte ${n(size)}`;
      }
      offsets.set(key, at + 8);
      at = end;
    }
    return offsets;
  });
}

/**
 * Turns tensors' `{storage, elementOffset}` locations into byte offsets in a legacy file, for the
 * weight statistics; throws naming the tensor that reaches past its storage.
 */
export function placeLegacyTensors(tensors: TensorInfo[], declared: Map<string, DeclaredStorage>, offsets: Map<string, number>): void {
  for (const tensor of tensors) {
    const location = tensor.location;
    if (!location || !('storage' in location)) continue;
    const storage = declared.get(location.storage);
    const offset = offsets.get(location.storage);
    if (!storage?.bytes || offset === undefined) throw new Error(`tensor ${tensor.name} uses storage '${location.storage}', which the file does not contain`);
    if (location.elementOffset + tensor.numel > storage.numel) {
      throw new Error(`tensor ${tensor.name} needs elements ${n(location.elementOffset)}..${n(location.elementOffset + tensor.numel)} of storage '${storage.key}', which holds ${n(storage.numel)}`);
    }
    tensor.location = { byteOffset: offset + location.elementOffset * (storage.bytes / storage.numel) };
  }
}
