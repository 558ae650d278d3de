import type { LogFormat, RunHistory } from './run-history';

export type RunLogResult = { ok: true; run: RunHistory } | { ok: false; error: string };

/** Where a run's points end up and how the run is named; the same for every format. */
export interface RunIdentity {
  /** Absolute path of the log file (or TensorBoard run folder). */
  source: string;
  /** Human name, relative to the workspace root. */
  run: string;
  maxPointsPerSeries?: number;
}

/**
 * A reader that takes a log's bytes in order, in chunks of any size, so a growing log can be read
 * from where it stopped (log-cursor.ts) and a huge one with bounded memory.
 */
export interface LogParser {
  readonly format: LogFormat;
  /** The next bytes of the file. */
  push(bytes: Buffer): void;
  /**
   * What the bytes so far hold. `complete`: the whole file was pushed, so an unterminated last
   * line (or, for TensorBoard, a short last record) is the end of the file rather than a write in
   * progress. Can be called again after more `push`es.
   */
  result(complete: boolean): RunLogResult;
}
