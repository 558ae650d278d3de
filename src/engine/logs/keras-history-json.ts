import type { RunIdentity, RunLogResult } from './log-parser';
import { SeriesCollector } from './series-collector';

/**
 * A Keras `History.history` saved as JSON (`json.dump(model.fit(...).history, f)`): a dict from
 * metric name (`loss`, `accuracy`, `val_loss`, …) to one value per epoch (keras/src/callbacks/
 * history.py). Users convert NumPy floats first, so values are numbers (NaN as Python writes it).
 */
export function interpretKerasHistory(json: unknown, identity: RunIdentity): RunLogResult {
  const where = identity.source;
  const not = (why: string): RunLogResult => ({
    ok: false,
    error: `${where}: not a training log DL Doctor reads: a JSON file that is neither a Hugging Face trainer_state.json nor a Keras History (${why})`,
  });
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return not('not a JSON object');
  const entries = Object.entries(json as Record<string, unknown>);
  if (entries.length === 0) return not('no metrics');
  for (const [key, value] of entries) {
    if (!Array.isArray(value)) return not(`"${key}" is not a list`);
    if (!value.every((v) => typeof v === 'number' || v === null)) return not(`"${key}" holds values that are not numbers`);
  }
  const collector = new SeriesCollector(() => 'train', () => 'epoch', identity.maxPointsPerSeries);
  for (const [key, value] of entries) {
    (value as (number | null)[]).forEach((v, epoch) => {
      if (v !== null) collector.add(key, { step: epoch, epoch, value: v });
    });
  }
  const lengths = new Set(entries.map(([, v]) => (v as unknown[]).length));
  const warnings: string[] = [];
  if (lengths.size > 1) warnings.push(`metrics have different lengths (${entries.map(([k, v]) => `${k}: ${(v as unknown[]).length}`).join(', ')}): epochs are counted from the start of each list`);
  const { series, warnings: thinned } = collector.snapshot();
  return { ok: true, run: { source: where, format: 'keras-history-json', run: identity.run, series, warnings: [...warnings, ...thinned] } };
}
