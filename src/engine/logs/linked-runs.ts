import * as fs from 'node:fs';
import type { RunLogLink } from '../python/run-log-links';
import { LogCursor } from './log-cursor';
import { findRunLogs, type RunLogResult } from './read-run-log';
import type { RunHistory } from './run-history';

/** Logs looked at under a linked folder (`lightning_logs`, an `output_dir` with checkpoints). */
const MAX_LOGS_PER_FOLDER = 500;
const MAX_FOLDER_DEPTH = 4;
/** Reads kept; a workspace rarely has more runs open at once. */
const MAX_CACHED = 64;

/**
 * Reads of run logs, kept while the file's size and modification time are unchanged: scripts are
 * re-checked on every edit, and their linked logs must not be re-read each time. A log that changed is
 * read through its LogCursor, which goes on from where the last read stopped (a log growing while a run
 * trains costs only its new bytes) and starts over when the file shrank or was rewritten.
 */
export class RunCache {
  private readonly entries = new Map<string, { key: string; result: Promise<RunLogResult>; cursor: LogCursor }>();

  read(file: string, root: string | undefined): Promise<RunLogResult> {
    let key: string;
    try {
      const stat = fs.statSync(file);
      key = `${stat.size}:${stat.mtimeMs}`;
    } catch (error) {
      return Promise.resolve({ ok: false, error: `${file}: cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}` });
    }
    const id = `${root ?? ''}\0${file}`;
    const cached = this.entries.get(id);
    if (cached?.key === key) return cached.result;
    const cursor = cached?.cursor ?? new LogCursor(file, { root });
    // One read at a time per cursor: the next one starts where the previous one stopped.
    const result = (cached?.result ?? Promise.resolve()).then(
      () => cursor.read(),
      () => cursor.read(),
    ).then(({ bytesRead: _bytes, reset: _reset, ...read }) => read as RunLogResult);
    this.entries.delete(id);
    this.entries.set(id, { key, result, cursor });
    if (this.entries.size > MAX_CACHED) this.entries.delete(this.entries.keys().next().value!);
    return result;
  }

  forget(file: string): void {
    for (const id of [...this.entries.keys()]) if (id.endsWith(`\0${file}`)) this.entries.delete(id);
  }
}

export interface LinkedRun {
  link: RunLogLink;
  /** The log file read (for a folder link: its most recently modified log). */
  file: string;
  run: RunHistory;
}

/**
 * The run each link points at: a log file as it is; for a folder, the most recently modified log
 * under it (the latest `version_N`, the last checkpoint's trainer_state.json) — the run the script
 * wrote last. Links whose log cannot be read give nothing.
 */
export async function linkedRuns(links: readonly RunLogLink[], cache: RunCache, root: string | undefined): Promise<LinkedRun[]> {
  const out: LinkedRun[] = [];
  for (const link of links) {
    const file = link.kind === 'file' ? link.target : await latestLog(link.target);
    if (!file) continue;
    const result = await cache.read(file, root);
    if (result.ok) out.push({ link, file, run: result.run });
  }
  return out;
}

async function latestLog(folder: string): Promise<string | undefined> {
  let found;
  try {
    found = await findRunLogs(folder, { maxFiles: MAX_LOGS_PER_FOLDER, maxDepth: MAX_FOLDER_DEPTH });
  } catch {
    return undefined;
  }
  let latest: { path: string; mtime: number } | undefined;
  for (const log of found) {
    try {
      const mtime = fs.statSync(log.path).mtimeMs;
      if (!latest || mtime > latest.mtime) latest = { path: log.path, mtime };
    } catch {
      // gone since it was listed
    }
  }
  return latest?.path;
}
