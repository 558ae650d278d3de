import type { ModelReport, TensorRole } from '../../src/protocol/model-report';
import type { TensorStats } from '../../src/engine/models/model-summary';

/** One row of the tensor table: the tensor's metadata and, when they were computed, its weight statistics. */
export interface TensorRow {
  index: number;
  name: string;
  /** Lower-cased name, for filtering without re-lowering on every keystroke. */
  key: string;
  shape: readonly number[];
  dtype: string;
  numel: number;
  role: TensorRole;
  stats?: TensorStats;
}

export function tensorRows(report: ModelReport): TensorRow[] {
  const stats = report.summary.stats?.tensors ?? {};
  return report.summary.tensors.map((t, index) => ({
    index,
    name: t.name,
    key: t.name.toLowerCase(),
    shape: t.shape,
    dtype: t.dtype,
    numel: t.numel,
    role: report.roles[index] ?? 'parameter',
    stats: stats[t.name],
  }));
}

/** Rows whose name contains every word of the filter (case-insensitive) and that sit under `module`. */
export function filterRows(rows: readonly TensorRow[], text: string, module: string | undefined): TensorRow[] {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  const prefix = module ? module.toLowerCase() : undefined;
  return rows.filter((row) => {
    if (prefix !== undefined && !underModule(row.key, prefix)) return false;
    return words.every((w) => row.key.includes(w) || row.dtype === w || row.role === w);
  });
}

/** Module paths join segments with "."; tensor names may use "/" (Keras), so both separators match. */
function underModule(name: string, module: string): boolean {
  if (module === '') return true;
  if (name.length <= module.length) return false;
  const head = name.slice(0, module.length).replace(/\//g, '.');
  return head === module && (name[module.length] === '.' || name[module.length] === '/');
}
