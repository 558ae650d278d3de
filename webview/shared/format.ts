/** Numbers as the report shows them: exact counts with separators, sizes in binary units. */
const integer = new Intl.NumberFormat('en-US');

export function count(n: number): string {
  return integer.format(n);
}

/** "124.4M", "1.20B", "25,000": parameter counts as people say them. */
export function shortCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)}K`;
  return integer.format(n);
}

/** File sizes in 1024-based units, as the code lens and `ls -lh` show them. */
export function bytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(2)} GB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} B`;
}

/** Decimal units, as GPU memory is sold. */
export function gigabytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  return `${(n / 1e3).toFixed(1)} KB`;
}

/** Statistics of weights: four significant digits, exponent form outside [1e-3, 1e5). */
export function stat(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const abs = Math.abs(x);
  return abs >= 1e5 || abs < 1e-3 ? x.toExponential(3) : x.toPrecision(4);
}

export function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(fraction > 0 && fraction < 0.001 ? 3 : 1)}%`;
}

export function shape(dims: readonly number[]): string {
  return dims.length ? dims.join(' × ') : 'scalar';
}
