import { PyCall, PyDict, PyGlobal, PyPersistent, PyTuple, type PyValue } from '../pickle/values';
import type { TensorInfo } from '../model-summary';
import { STORAGE_DTYPES } from './storage-types';

/** Pickled objects nest; walk no deeper than real checkpoints do, and no further than a bounded count. */
const MAX_DEPTH = 64;
const MAX_TENSORS = 1_000_000;

const REBUILD_TENSOR = new Set(['torch._utils._rebuild_tensor', 'torch._utils._rebuild_tensor_v2']);
const REBUILD_PARAMETER = new Set(['torch._utils._rebuild_parameter', 'torch._utils._rebuild_parameter_with_state']);

/** A tensor rebuilt from `_rebuild_tensor_v2(storage, offset, size, stride, ...)`, or undefined. */
export function tensorOf(value: PyValue): Omit<TensorInfo, 'name'> | undefined {
  if (!(value instanceof PyCall)) return undefined;
  const callee = value.callee ?? '';
  if (REBUILD_PARAMETER.has(callee)) return tensorOf(value.args[0] ?? null);
  if (callee === 'torch._tensor._rebuild_from_type_v2') return tensorOf(value.args[1] instanceof PyTuple ? (value.args[1].items[0] ?? null) : null);
  if (!REBUILD_TENSOR.has(callee)) return undefined;
  const [storage, offset, size] = value.args;
  const shape = size instanceof PyTuple ? size.items.filter((d): d is number => typeof d === 'number') : [];
  if (!(size instanceof PyTuple) || shape.length !== size.items.length) return undefined;
  const key = storage instanceof PyPersistent && storage.id instanceof PyTuple ? storage.id.items[2] : undefined;
  const location = typeof key === 'string' && typeof offset === 'number' ? { storage: key, elementOffset: offset } : undefined;
  return { shape, dtype: storageDtype(storage), numel: shape.reduce((a, b) => a * b, 1), ...(location ? { location } : {}) };
}

/** The dtype a persistent storage id names: ('storage', torch.FloatStorage, key, location, numel). */
function storageDtype(storage: PyValue | undefined): string {
  if (!(storage instanceof PyPersistent) || !(storage.id instanceof PyTuple)) return 'unknown';
  const type = storage.id.items[1];
  if (type instanceof PyGlobal) return STORAGE_DTYPES[type.name] ?? type.name;
  return 'unknown';
}

/**
 * Every tensor reachable from a value, named by its path: dict keys, list indices and, for pickled
 * modules, the `_parameters` / `_buffers` / `_modules` of their state joined with dots.
 */
export function collectTensors(root: PyValue, prefix = ''): TensorInfo[] {
  const found: TensorInfo[] = [];
  const seen = new Set<object>();
  const visit = (value: PyValue, name: string, depth: number): void => {
    if (depth > MAX_DEPTH || found.length >= MAX_TENSORS || value === null || typeof value !== 'object') return;
    if (seen.has(value)) return; // memoised objects are shared, not repeated
    seen.add(value);
    const tensor = tensorOf(value);
    if (tensor) {
      found.push({ name, ...tensor });
      return;
    }
    const join = (key: string) => (name ? `${name}.${key}` : key);
    if (value instanceof PyDict) {
      for (const [key, item] of value.entries) visit(item, join(keyName(key)), depth + 1);
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, join(String(i)), depth + 1));
    } else if (value instanceof PyTuple) {
      value.items.forEach((item, i) => visit(item, join(String(i)), depth + 1));
    } else if (value instanceof PyCall) {
      for (const [key, item] of value.items) visit(item, join(keyName(key)), depth + 1);
      if (value.state instanceof PyDict) {
        // nn.Module.__dict__: parameters, buffers and submodules keep their plain names.
        for (const [key, item] of value.state.entries) {
          if (key === '_parameters' || key === '_buffers' || key === '_modules') visit(item, name, depth + 1);
          else if (typeof key === 'string' && !key.startsWith('_')) visit(item, join(key), depth + 1);
        }
      }
    }
  };
  visit(root, prefix, 0);
  return found;
}

function keyName(key: PyValue): string {
  return typeof key === 'string' || typeof key === 'number' ? String(key) : key instanceof PyTuple ? key.items.map(String).join(',') : '?';
}
