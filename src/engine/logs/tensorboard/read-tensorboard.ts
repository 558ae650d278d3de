import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunIdentity, RunLogResult } from '../log-parser';
import { splitOfFolder } from '../metric-names';
import { readFileChunks } from '../read-file-chunks';
import { maskedCrc32c } from './masked-crc';
import { TensorboardRunParser } from './tensorboard-run';

/** Event files read per run (a run restarted a thousand times is not one we can chart anyway). */
export const MAX_EVENT_FILES = 1000;

export function isEventFileName(name: string): boolean {
  return name === 'events.out.tfevents' || name.startsWith('events.out.tfevents.');
}

/** Whether bytes start like a TFRecord: a length followed by its masked CRC32C. */
export function looksLikeRecord(head: Buffer): boolean {
  return head.length >= 12 && head.readUInt32LE(8) === maskedCrc32c(head.subarray(0, 8));
}

/**
 * The event files of a run folder, relative to it, in name order (their names start with the
 * time they were created, so this is the order they were written): the folder's own, and those of
 * split-named subfolders (`train`, `validation`, `learn`, `test`, …).
 */
export function eventFilesOf(folder: string): string[] {
  const files: string[] = [];
  const list = (relative: string, depth: number) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(folder, relative), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const child = relative === '' ? entry.name : path.join(relative, entry.name);
      if (entry.isFile() && isEventFileName(entry.name)) files.push(child);
      else if (entry.isDirectory() && depth === 0 && splitOfFolder(entry.name)) list(child, 1);
    }
  };
  list('', 0);
  return files.sort().slice(0, MAX_EVENT_FILES);
}

/** Reads a TensorBoard run folder, or one event file on its own. */
export async function readTensorboard(source: string, identity: RunIdentity, signal?: AbortSignal): Promise<RunLogResult> {
  const parser = new TensorboardRunParser(identity);
  if (!fs.statSync(source).isDirectory()) {
    await readFileChunks(source, 0, (bytes) => parser.push(bytes), signal);
    return parser.result(true);
  }
  const files = eventFilesOf(source);
  if (files.length === 0) return { ok: false, error: `${source}: no TensorBoard event files (events.out.tfevents.*) in this folder or its train/validation subfolders` };
  for (const relative of files) await readFileChunks(path.join(source, relative), 0, (bytes) => parser.pushFile(relative, bytes), signal);
  return parser.result(true);
}
