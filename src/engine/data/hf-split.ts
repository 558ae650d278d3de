import type { KnownDataset } from './known-datasets';
import { pythonRound, sliceLength } from './split-arithmetic';

export interface HfSplitCount {
  samples: number;
  /** True when every part reads from a split whose name starts with "train". */
  training: boolean;
  /** True when every part is a whole split (no slice): per-class counts of the split then apply. */
  whole: boolean;
}

/**
 * The size of a Hugging Face split instruction against a known data set: `train`, `test+validation`,
 * `train[:10%]`, `train[10:1000]`, `train[-20%:]` (Hugging Face datasets docs, "Splits and slicing":
 * percent boundaries are rounded to the closest example with Python's `round`, the default
 * `rounding="closest"` of `ReadInstruction`). Returns undefined for a split the set does not have or a
 * spec that does not parse.
 */
export function hfSplitCount(dataset: KnownDataset, spec: string): HfSplitCount | undefined {
  let samples = 0;
  let training = true;
  let whole = true;
  for (const raw of spec.split('+')) {
    const part = raw.trim();
    const open = part.indexOf('[');
    const name = (open < 0 ? part : part.slice(0, open)).trim();
    const split = dataset.splits[name];
    if (!split) return undefined;
    if (!name.startsWith('train')) training = false;
    if (open < 0) {
      samples += split.samples;
      continue;
    }
    whole = false;
    if (!part.endsWith(']')) return undefined;
    const inner = part.slice(open + 1, -1).split(':');
    if (inner.length !== 2) return undefined;
    const bounds = inner.map((b) => boundary(b.trim(), split.samples));
    if (bounds.some((b) => b === null)) return undefined;
    samples += sliceLength(split.samples, bounds[0] ?? undefined, bounds[1] ?? undefined);
  }
  return { samples, training, whole };
}

/** An absolute or percent boundary in examples; undefined for an empty one, null for one that does not parse. */
function boundary(text: string, n: number): number | undefined | null {
  if (text === '') return undefined;
  const percent = text.endsWith('%');
  const digits = percent ? text.slice(0, -1) : text;
  const value = Number(digits);
  if (digits === '' || !Number.isFinite(value)) return null;
  if (!percent) return Number.isInteger(value) ? value : null;
  if (value < -100 || value > 100) return null;
  return pythonRound((value * n) / 100);
}
