import * as fs from 'node:fs';
import * as yauzl from 'yauzl';
import { openWindowedZip } from '../windowed-zip';
import { nextEntry } from '../zip-entries';
import type { ModelSummary, TensorInfo, WeightStats } from '../model-summary';
import { elementReader, FLOAT_BYTES, StatsAccumulator } from './accumulate';

export interface StatsBudget {
  /** Stop after reading this many bytes of weights. */
  maxBytes: number;
  /** Stop after this much wall time. */
  maxMs: number;
}

/** Big checkpoints are summarised from their first tensors; the report says when it was cut short. */
export const DEFAULT_STATS_BUDGET: StatsBudget = { maxBytes: 64 * 1024 * 1024, maxMs: 1500 };
const CHUNK = 1024 * 1024;

/**
 * Streams the weights of a safetensors file or a PyTorch file (zip archive or legacy layout) and computes
 * per-tensor statistics within a budget. Only floating-point tensors are read; nothing is decoded beyond their bytes.
 */
export async function computeWeightStats(summary: ModelSummary, budget: StatsBudget = DEFAULT_STATS_BUDGET): Promise<WeightStats | undefined> {
  // The reader already found the weights unreachable (a legacy file cut inside its storages).
  if (summary.stats?.error) return summary.stats;
  const tensors = summary.tensors.filter((t) => FLOAT_BYTES[t.dtype] && t.location);
  if (tensors.length === 0) return undefined;
  const state: WeightStats = { tensors: {}, partial: false, bytesRead: 0 };
  const deadline = Date.now() + budget.maxMs;
  const overBudget = () => state.bytesRead > budget.maxBytes || Date.now() > deadline;
  if (summary.format === 'safetensors' || summary.format === 'pytorch-legacy') await byteRangeStats(summary.file, tensors, state, overBudget);
  else if (summary.format === 'pytorch-zip') await archiveStats(summary.file, tensors, state, overBudget);
  else return undefined;
  return state;
}

/** Tensors stored as plain byte ranges of the file: safetensors, and legacy PyTorch files once their storages are placed. */
async function byteRangeStats(file: string, tensors: TensorInfo[], state: WeightStats, overBudget: () => boolean): Promise<void> {
  const handle = await fs.promises.open(file, 'r');
  // Tensors lie back to back, so one read of CHUNK bytes serves many small ones: a read per tensor
  // costs a thread-pool round trip each, over a second for 10,000 small tensors.
  let window = Buffer.alloc(0);
  let windowStart = 0;
  const bytesAt = async (start: number, length: number): Promise<Buffer> => {
    if (start < windowStart || start + length > windowStart + window.length) {
      window = Buffer.alloc(Math.max(CHUNK, length));
      windowStart = start;
      await handle.read(window, 0, window.length, start);
    }
    return window.subarray(start - windowStart, start - windowStart + length);
  };
  try {
    for (const tensor of tensors) {
      if (overBudget()) {
        state.partial = true;
        return;
      }
      const size = FLOAT_BYTES[tensor.dtype];
      const start = (tensor.location as { byteOffset: number }).byteOffset;
      const acc = new StatsAccumulator();
      for (let done = 0; done < tensor.numel * size; done += CHUNK) {
        const length = Math.min(CHUNK, tensor.numel * size - done);
        const buffer = await bytesAt(start + done, length);
        state.bytesRead += length;
        const read = elementReader(tensor.dtype, new DataView(buffer.buffer, buffer.byteOffset, length))!;
        for (let i = 0; i < length / size; i++) acc.add(read(i));
      }
      state.tensors[tensor.name] = acc.result();
    }
  } finally {
    await handle.close();
  }
}

/** Storage entries (`<prefix>/data/<key>`) are streamed once each; their tensors are element ranges. */
function archiveStats(file: string, tensors: TensorInfo[], state: WeightStats, overBudget: () => boolean): Promise<void> {
  const byStorage = new Map<string, TensorInfo[]>();
  for (const t of tensors) {
    const key = (t.location as { storage: string }).storage;
    byStorage.set(key, [...(byStorage.get(key) ?? []), t]);
  }
  return new Promise((resolve, reject) => {
    openWindowedZip(file, { lazyEntries: true, autoClose: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error('cannot open archive'));
      zip.on('error', reject);
      zip.on('end', resolve);
      zip.on('entry', (entry: yauzl.Entry) => {
        const key = /(?:^|\/)data\/([^/]+)$/.exec(entry.fileName)?.[1];
        const views = key ? byStorage.get(key) : undefined;
        if (!views) return nextEntry(zip, reject);
        if (overBudget()) {
          state.partial = true;
          zip.close();
          return resolve();
        }
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError ?? new Error('cannot read storage'));
          const consume = storageConsumer(views, state);
          stream.on('data', (chunk: Buffer) => consume(chunk));
          stream.on('error', reject);
          stream.on('end', () => {
            consume(undefined);
            nextEntry(zip, reject);
          });
        });
      });
      nextEntry(zip, reject);
    });
  });
}

/** Feeds a storage's bytes, chunk by chunk, to the accumulators of the tensors that view it. */
function storageConsumer(views: TensorInfo[], state: WeightStats): (chunk: Buffer | undefined) => void {
  const dtype = views[0].dtype;
  const size = FLOAT_BYTES[dtype];
  const ranges = views
    .map((t) => ({ t, start: (t.location as { elementOffset: number }).elementOffset, acc: new StatsAccumulator() }))
    .sort((a, b) => a.start - b.start);
  let element = 0;
  let carry = Buffer.alloc(0);
  let r = 0;
  return (chunk) => {
    if (!chunk) {
      for (const { t, acc } of ranges) state.tensors[t.name] = acc.result();
      return;
    }
    state.bytesRead += chunk.length;
    const bytes = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    const whole = Math.floor(bytes.length / size);
    const read = elementReader(dtype, new DataView(bytes.buffer, bytes.byteOffset, whole * size))!;
    for (let i = 0; i < whole; i++, element++) {
      while (r < ranges.length && element >= ranges[r].start + ranges[r].t.numel) r++;
      if (r < ranges.length && element >= ranges[r].start) ranges[r].acc.add(read(i));
    }
    carry = Buffer.from(bytes.subarray(whole * size));
  };
}
