import * as fs from 'node:fs';
import * as path from 'node:path';
import { SKIPPED_DIRS } from '../workspace-files';
import { readHeadBytes } from './read-file-chunks';
import { splitOfFolder } from './metric-names';
import type { LogFormat } from './run-history';
import { isRunLogCandidate, sniffLogFormat, SNIFF_BYTES } from './sniff-log';
import { isEventFileName } from './tensorboard/read-tensorboard';

export interface FoundRunLog {
  /** The log file, or for TensorBoard the run folder holding the event files. */
  path: string;
  format: LogFormat;
  /** Its human name relative to the walked root (`lightning_logs/version_0`). */
  run: string;
}

export interface FindRunLogsOptions {
  /** Candidate files looked at before the walk stops (default 2,000). */
  maxFiles?: number;
  /** Folder levels below the root walked into (default 8). */
  maxDepth?: number;
  signal?: AbortSignal;
}

/**
 * The training logs under a folder, recognised by content. The walk is bounded in files and depth,
 * does not follow symbolic links (so it cannot loop), and skips VCS folders, node_modules and
 * virtualenvs. TensorBoard event files are grouped into one entry per run folder.
 */
export async function findRunLogs(root: string, options: FindRunLogsOptions = {}): Promise<FoundRunLog[]> {
  const maxFiles = options.maxFiles ?? 2000;
  const maxDepth = options.maxDepth ?? 8;
  const base = path.resolve(root);
  const found: FoundRunLog[] = [];
  const tensorboardRuns = new Set<string>();
  let looked = 0;
  const stack: { dir: string; depth: number }[] = [{ dir: base, depth: 0 }];
  while (stack.length > 0 && looked < maxFiles) {
    options.signal?.throwIfAborted();
    const { dir, depth } = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(dir, { withFileTypes: true });
    } catch {
      continue; // unreadable folder: nothing to list there
    }
    if (dir !== base && entries.some((e) => e.name === 'pyvenv.cfg')) continue;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: string[] = [];
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      // Dirent types come from lstat: a symbolic link is neither a file nor a folder here.
      if (entry.isDirectory()) {
        if (depth < maxDepth && !SKIPPED_DIRS.has(entry.name)) subdirs.push(full);
        continue;
      }
      if (!entry.isFile() || !isRunLogCandidate(full)) continue;
      if (looked++ >= maxFiles) break;
      if (isEventFileName(entry.name)) {
        // Keras' train/validation and CatBoost's learn/test subfolders are parts of one run.
        const runDir = dir !== base && splitOfFolder(path.basename(dir)) ? path.dirname(dir) : dir;
        if (!tensorboardRuns.has(runDir)) {
          tensorboardRuns.add(runDir);
          found.push({ path: runDir, format: 'tensorboard', run: relativeName(base, runDir) });
        }
        continue;
      }
      let head: Buffer;
      try {
        head = await readHeadBytes(full, SNIFF_BYTES);
      } catch {
        continue;
      }
      const format = head.length > 0 ? sniffLogFormat(full, head) : undefined;
      if (!format) continue;
      const oneFilePerFolder = format === 'lightning-csv' || format === 'hf-trainer-state';
      found.push({ path: full, format, run: relativeName(base, oneFilePerFolder ? dir : full) });
    }
    stack.push(...subdirs.reverse().map((d) => ({ dir: d, depth: depth + 1 })));
  }
  return found;
}

function relativeName(base: string, target: string): string {
  const relative = path.relative(base, target);
  return (relative === '' ? path.basename(target) : relative).split(path.sep).join('/');
}
