/**
 * Figure 1: edit → diagnostics latency over LSP, in a 2,000-line script, on a warm server.
 *
 * Each edit inserts or deletes one line that seeds every generator the script uses, so the
 * published diagnostics alternate between one unset-seed warning and none. publishDiagnostics
 * carries the document version, but TestLspClient keeps only the diagnostics; the alternation is
 * what proves each publication we time is the one for the new text, not a late one for the old.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { TestLspClient, uri } from '../support/lsp-client';
import { CORPUS_SEED } from './corpus';
import { Random } from './generate/random';
import { generateFile } from './generate/script';
import { watchScan } from './server-status';

/** The server waits this long after a change before checking (DEBOUNCE_MS in src/server/server.ts). */
export const DEBOUNCE_MS = 150;
const SEED_LINE = '    random.seed(0); np.random.seed(0); torch.manual_seed(0)\n';

export interface LatencyResult {
  lines: number;
  bytes: number;
  warmup: number;
  /** Milliseconds from sending didChange to receiving the diagnostics for it, one per measured edit. */
  samples: number[];
}

/** A realistic PyTorch training script of at least `lines` lines with one unset-seed finding. */
export function largeScript(lines: number): string {
  for (let target = lines; ; target += 10) {
    const { text } = generateFile(Random.for(CORPUS_SEED, 0xbeef), {
      role: 'train',
      project: { name: 'latency', framework: 'torch', models: [] },
      targetLines: target,
      seeding: 'none',
      imports: ['random', 'np', 'torch'],
    });
    if (text.split('\n').length >= lines) return text;
  }
}

const unsetSeed = (diagnostics: Diagnostic[]) => diagnostics.filter((d) => d.code === 'unset-seed').length;

export async function measureEditLatency(dir: string, options: { iterations: number; warmup: number; log: (line: string) => void }): Promise<LatencyResult> {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'train_large.py');
  const text = largeScript(2000);
  fs.writeFileSync(file, text);
  const lines = text.split('\n');
  const insertAt = lines.indexOf('def main():') + 1;
  if (insertAt === 0) throw new Error('the generated script has no main()');

  const client = new TestLspClient();
  try {
    const scan = watchScan(client, 60_000);
    await client.initialize(dir);
    await scan.idle;
    const fileUri = uri(file);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: fileUri, languageId: 'python', version: 1, text } });
    await client.waitForDiagnostics(fileUri, (d) => unsetSeed(d) === 1, 30_000);
    const samples: number[] = [];
    for (let i = 0; i < options.warmup + options.iterations; i++) {
      const seeding = i % 2 === 0;
      const change = seeding
        ? { range: { start: { line: insertAt, character: 0 }, end: { line: insertAt, character: 0 } }, text: SEED_LINE }
        : { range: { start: { line: insertAt, character: 0 }, end: { line: insertAt + 1, character: 0 } }, text: '' };
      const expected = seeding ? 0 : 1;
      const started = performance.now();
      await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: fileUri, version: i + 2 }, contentChanges: [change] });
      await client.waitForDiagnostics(fileUri, (d) => unsetSeed(d) === expected, 10_000);
      const elapsed = performance.now() - started;
      if (i >= options.warmup) samples.push(elapsed);
      if ((i + 1) % 10 === 0) options.log(`${i + 1}/${options.warmup + options.iterations} edits`);
    }
    return { lines: lines.length, bytes: Buffer.byteLength(text), warmup: options.warmup, samples };
  } finally {
    await client.dispose();
  }
}
