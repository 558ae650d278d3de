/**
 * A rate or probability as people write it in code: 0.01, 0.5, 3.2 stay decimal; 0.001 becomes 1e-3 and
 * 0.00025 becomes 2.5e-4, at most four significant digits either way.
 */
export function formatRate(value: number): string {
  if (value === 0 || !Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude >= 0.01 && magnitude < 1e5) return String(Number(value.toPrecision(4)));
  const [mantissa, exponent] = value.toExponential(3).split('e');
  return `${Number(mantissa)}e${Number(exponent)}`;
}
