import type { Dataset, Group } from 'h5wasm/node' with { 'resolution-mode': 'import' };

type H5 = typeof import('h5wasm/node', { with: { 'resolution-mode': 'import' } });
let loading: Promise<H5> | undefined;

/** h5wasm (HDF5 compiled to wasm), loaded once; it is an ES module, hence the dynamic import. */
export function loadH5(): Promise<H5> {
  loading ??= (import('h5wasm/node' as string) as Promise<H5>).then(async (h5) => {
    await h5.ready;
    return h5;
  });
  return loading;
}

/** NumPy-style dtype strings as h5wasm reports them, in DL Doctor's names. */
const DTYPES: Record<string, string> = { f: 'float32', d: 'float64', e: 'float16', q: 'int64', i: 'int32', h: 'int16', b: 'int8', B: 'uint8', '?': 'bool' };

export interface H5Dataset {
  path: string;
  shape: number[];
  dtype: string;
}

/** Every dataset under a group, bounded in depth and count. */
export function datasetsUnder(h5: H5, group: Group | null, prefix: string, limit = 200_000): H5Dataset[] {
  const found: H5Dataset[] = [];
  const visit = (g: Group, path: string, depth: number) => {
    if (depth > 32) return;
    for (const key of g.keys()) {
      if (found.length >= limit) return;
      const child = g.get(key);
      if (child instanceof h5.Group) visit(child, `${path}/${key}`, depth + 1);
      else if (child instanceof h5.Dataset) found.push(describe(child as Dataset, `${path}/${key}`));
    }
  };
  if (group) visit(group, prefix, 0);
  return found;
}

function describe(dataset: Dataset, path: string): H5Dataset {
  const dtype = typeof dataset.dtype === 'string' ? dataset.dtype.replace(/^[<>|=]/, '') : 'compound';
  return { path, shape: (dataset.shape ?? []).map(Number), dtype: DTYPES[dtype] ?? dtype };
}
