import * as fs from 'node:fs/promises';

/** How many results are kept; each is small (counts, not data), so this bounds memory, not speed. */
const MAX_ENTRIES = 256;

/**
 * Remembers what a pass over a data file found (rows of a CSV, values of its label column), keyed on
 * the file's path, size and modification time and the options of the pass. The language server checks
 * a script on every edit; without this, a script that reads a 1 GB CSV would re-count it on every
 * keystroke (≈4 s each at the counter's measured speed). A file that changes on disk gets a new key.
 * Failed or cancelled passes throw and are not remembered.
 */
export class FileFactCache {
  private readonly entries = new Map<string, Promise<unknown>>();

  async get<T>(file: string, kind: string, options: object, compute: () => Promise<T>): Promise<T> {
    let stat;
    try {
      stat = await fs.stat(file);
    } catch {
      return compute(); // the pass itself reports a missing or unreadable file
    }
    const key = `${kind}\0${file}\0${stat.size}\0${stat.mtimeMs}\0${JSON.stringify(options)}`;
    const known = this.entries.get(key) as Promise<T> | undefined;
    if (known) {
      // Most recently used last, so the oldest entry is the first one the bound drops.
      this.entries.delete(key);
      this.entries.set(key, known);
      return known;
    }
    const pending = compute();
    this.entries.set(key, pending);
    pending.catch(() => this.entries.delete(key));
    while (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    return pending;
  }
}

/** One cache per process: the CLI checks each file once, the language server many times. */
export const dataFileFacts = new FileFactCache();
