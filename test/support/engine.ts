import * as fs from 'node:fs';
import * as path from 'node:path';
import { Engine, type FileResult } from '../../src/engine/engine';

export const REPO = path.resolve(__dirname, '../..');
export const FIXTURES = path.join(REPO, 'test/fixtures');

let shared: Promise<Engine> | undefined;

/** One engine per test process, as the server and the CLI have. */
export function engine(): Promise<Engine> {
  shared ??= Engine.create();
  return shared;
}

/** Checks source text as if it were the file at `file` (default: a script in a temp-like folder). */
export async function checkSource(text: string, file = '/workspace/train.py', roots = ['/workspace']): Promise<FileResult> {
  return (await engine()).checkPython(file, text, { roots, reader: { read: () => undefined } });
}

/** Checks a file on disk with its folder (or `root`) as the workspace. */
export async function checkFile(file: string, root = path.dirname(file)): Promise<FileResult> {
  return (await engine()).checkPython(file, fs.readFileSync(file, 'utf8'), { roots: [root] });
}

/** Source text from an indented template literal: strips the common indentation and the first newline. */
export function py(strings: TemplateStringsArray, ...values: unknown[]): string {
  const raw = strings.reduce((acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ''), '');
  const lines = raw.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.match(/^ */)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}
