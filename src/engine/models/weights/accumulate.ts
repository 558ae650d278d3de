import type { TensorStats } from '../model-summary';

/** Bytes per element of the dtypes whose values are read; other dtypes are not decoded. */
export const FLOAT_BYTES: Record<string, number> = { float32: 4, float64: 8, float16: 2, bfloat16: 2 };

/** Running min/max/mean/std (Welford), zero fraction and NaN/inf counts over a stream of values. */
export class StatsAccumulator {
  private n = 0;
  private mean = 0;
  private m2 = 0;
  private min = Infinity;
  private max = -Infinity;
  private zeros = 0;
  private nan = 0;
  private inf = 0;

  add(value: number): void {
    if (Number.isNaN(value)) {
      this.nan++;
      return;
    }
    if (!Number.isFinite(value)) {
      this.inf++;
      return;
    }
    this.n++;
    const delta = value - this.mean;
    this.mean += delta / this.n;
    this.m2 += delta * (value - this.mean);
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    if (value === 0) this.zeros++;
  }

  result(): TensorStats {
    const total = this.n + this.nan + this.inf;
    return {
      count: total,
      min: this.n ? this.min : NaN,
      max: this.n ? this.max : NaN,
      mean: this.n ? this.mean : NaN,
      std: this.n > 1 ? Math.sqrt(this.m2 / this.n) : 0,
      zeroFraction: total ? this.zeros / total : 0,
      nan: this.nan,
      inf: this.inf,
    };
  }
}

/** bfloat16 is the top half of a float32: widened through one shared word, not an allocation per element. */
const bfloat16Bits = new Uint32Array(1);
const bfloat16Value = new Float32Array(bfloat16Bits.buffer);

/** Reads element `index` of little-endian `bytes` as a number. */
export function elementReader(dtype: string, view: DataView): ((index: number) => number) | undefined {
  switch (dtype) {
    case 'float32':
      return (i) => view.getFloat32(i * 4, true);
    case 'float64':
      return (i) => view.getFloat64(i * 8, true);
    case 'float16':
      return (i) => halfToFloat(view.getUint16(i * 2, true));
    case 'bfloat16':
      return (i) => {
        bfloat16Bits[0] = view.getUint16(i * 2, true) << 16;
        return bfloat16Value[0];
      };
    default:
      return undefined;
  }
}

/** IEEE 754 binary16 → number. */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}
