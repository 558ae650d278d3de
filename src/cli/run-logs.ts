import * as fs from 'node:fs';
import * as path from 'node:path';
import { findRunLogs, isRunLogCandidate, readRunLog } from '../engine/logs/read-run-log';
import type { LogFormat, MetricSplit } from '../engine/logs/run-history';
import { excludeMatcher } from '../engine/workspace-files';

/** What `dl-doctor check` lists about one training log: facts, not findings. */
export interface RunFacts {
  /** The log file, or the TensorBoard run folder. */
  file: string;
  run: string;
  format: LogFormat;
  series: { name: string; split: MetricSplit; metric: string; granularity: 'epoch' | 'step'; points: number }[];
  hyperparameters?: Record<string, string | number | boolean>;
  warnings: string[];
}

/**
 * The training logs under the checked paths (folders are walked with findRunLogs' bounds; a file
 * given by name is read when its name is a log's), read into facts; logs that cannot be read are
 * returned as skipped with the reader's reason.
 */
export async function collectRunLogs(paths: readonly string[], exclude: readonly string[]): Promise<{ runs: RunFacts[]; skipped: { file: string; reason: string }[] }> {
  const runs: RunFacts[] = [];
  const skipped: { file: string; reason: string }[] = [];
  const seen = new Set<string>();
  for (const given of paths) {
    const start = path.resolve(given);
    const isFolder = fs.statSync(start).isDirectory();
    const root = isFolder ? start : path.dirname(start);
    const excluded = excludeMatcher(root, exclude);
    const logs = isFolder ? (await findRunLogs(start)).map((l) => l.path) : isRunLogCandidate(start) ? [start] : [];
    for (const log of logs) {
      if (seen.has(log) || excluded(log)) continue;
      seen.add(log);
      const result = await readRunLog(log, { root });
      if (!result.ok) {
        skipped.push({ file: log, reason: result.error.startsWith(`${log}: `) ? result.error.slice(log.length + 2) : result.error });
        continue;
      }
      const { run } = result;
      runs.push({
        file: log,
        run: run.run,
        format: run.format,
        series: run.series.map((s) => ({ name: s.name, split: s.split, metric: s.metric, granularity: s.granularity, points: s.points.length })),
        ...(run.hyperparameters ? { hyperparameters: run.hyperparameters } : {}),
        warnings: run.warnings,
      });
    }
  }
  return { runs, skipped };
}
