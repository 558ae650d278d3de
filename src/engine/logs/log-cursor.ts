import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LogParser, RunLogResult } from './log-parser';
import { parserFor } from './parser-for';
import { readFileChunks, readHeadBytes } from './read-file-chunks';
import { runName, type ReadRunLogOptions } from './read-run-log';
import type { LogFormat } from './run-history';
import { sniffLogFormat, SNIFF_BYTES } from './sniff-log';
import { eventFilesOf } from './tensorboard/read-tensorboard';
import { TensorboardRunParser } from './tensorboard/tensorboard-run';

/** Bytes of a file's start remembered to notice it was rewritten rather than appended to. */
const FINGERPRINT_BYTES = 64;

export type CursorResult = RunLogResult & {
  /** Bytes read from disk by this call (0 when nothing changed). */
  bytesRead: number;
  /** Whether this call started over (first read, or the log shrank or was rewritten). */
  reset: boolean;
};

interface FileMark {
  /** Bytes pushed to the parser so far. */
  offset: number;
  fingerprint: Buffer;
  mtimeMs: number;
}

/**
 * Reads a log that grows while a training runs, from where the previous read stopped: CSV logs
 * keep their header and go on from the last byte read, TensorBoard files resume after their last
 * whole record (new event files in the run are picked up). A log that shrank or whose first bytes
 * changed (rewritten: Lightning rewrites metrics.csv when a new metric appears) is read again
 * from the start. JSON logs are rewritten whole by their loggers, so they are re-read when their
 * size or modification time changes. An unterminated last CSV line is read once its line end arrives.
 */
export class LogCursor {
  private format: LogFormat | undefined;
  private parser: LogParser | undefined;
  private readonly marks = new Map<string, FileMark>();
  private last: RunLogResult | undefined;

  constructor(
    readonly source: string,
    private readonly options: ReadRunLogOptions = {},
  ) {}

  async read(): Promise<CursorResult> {
    const source = path.resolve(this.source);
    try {
      return fs.statSync(source).isDirectory() ? await this.readRunFolder(source) : await this.readFile(source);
    } catch (error) {
      this.restart();
      return { ok: false, error: `${source}: cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, bytesRead: 0, reset: true };
    }
  }

  private restart(): void {
    this.parser = undefined;
    this.format = undefined;
    this.marks.clear();
    this.last = undefined;
  }

  private async readFile(source: string): Promise<CursorResult> {
    const stat = fs.statSync(source);
    const mark = this.marks.get(source);
    let reset = !this.parser || !mark || (await this.rewritten(source, stat, mark));
    if (!reset && this.isJson() && (stat.size !== mark!.offset || stat.mtimeMs !== mark!.mtimeMs)) reset = true;
    if (reset) {
      this.restart();
      const head = await readHeadBytes(source, SNIFF_BYTES);
      if (head.length === 0) return { ok: false, error: `${source}: empty file`, bytesRead: head.length, reset };
      const format = sniffLogFormat(source, head);
      if (!format) return { ok: false, error: `${source}: not a training log DL Doctor reads`, bytesRead: head.length, reset };
      this.format = format;
      this.parser = parserFor(format, { source, run: runName(source, format, this.options.root), maxPointsPerSeries: this.options.maxPointsPerSeries });
    } else if (stat.size === mark!.offset && this.last) {
      return { ...this.last, bytesRead: 0, reset: false };
    }
    const parser = this.parser!;
    const start = reset ? 0 : mark!.offset;
    const bytesRead = await readFileChunks(source, start, (bytes) => parser.push(bytes), this.options.signal);
    this.marks.set(source, { offset: start + bytesRead, fingerprint: await readHeadBytes(source, FINGERPRINT_BYTES), mtimeMs: stat.mtimeMs });
    const result = parser.result(false);
    // A JSON log caught half-rewritten: keep showing the last whole one until the next change.
    if (!result.ok && this.isJson() && this.last?.ok) return { ...this.last, bytesRead, reset };
    this.last = result;
    return { ...result, bytesRead, reset };
  }

  private async readRunFolder(source: string): Promise<CursorResult> {
    const files = eventFilesOf(source);
    let reset = !(this.parser instanceof TensorboardRunParser);
    if (!reset) {
      for (const [file, mark] of this.marks) {
        const full = path.join(source, file);
        if (!fs.existsSync(full) || (await this.rewritten(full, fs.statSync(full), mark))) reset = true;
      }
    }
    if (reset) {
      this.restart();
      this.format = 'tensorboard';
      this.parser = new TensorboardRunParser({ source, run: runName(source, 'tensorboard', this.options.root), maxPointsPerSeries: this.options.maxPointsPerSeries });
    }
    const parser = this.parser as TensorboardRunParser;
    if (files.length === 0) return { ok: false, error: `${source}: no TensorBoard event files (events.out.tfevents.*) in this folder or its train/validation subfolders`, bytesRead: 0, reset };
    let bytesRead = 0;
    for (const file of files) {
      const full = path.join(source, file);
      const stat = fs.statSync(full);
      const start = this.marks.get(file)?.offset ?? 0;
      if (stat.size === start) continue;
      const read = await readFileChunks(full, start, (bytes) => parser.pushFile(file, bytes), this.options.signal);
      bytesRead += read;
      this.marks.set(file, { offset: start + read, fingerprint: await readHeadBytes(full, FINGERPRINT_BYTES), mtimeMs: stat.mtimeMs });
    }
    if (bytesRead === 0 && !reset && this.last) return { ...this.last, bytesRead, reset };
    this.last = parser.result(false);
    return { ...this.last, bytesRead, reset };
  }

  private isJson(): boolean {
    return this.format === 'hf-trainer-state' || this.format === 'keras-history-json';
  }

  /** Shrank, or its first bytes are not the ones read before. */
  private async rewritten(file: string, stat: fs.Stats, mark: FileMark): Promise<boolean> {
    if (stat.size < mark.offset) return true;
    const head = await readHeadBytes(file, mark.fingerprint.length);
    return !head.equals(mark.fingerprint);
  }
}
