import * as fs from 'node:fs';
import * as path from 'node:path';
import { TestLspClient, uri } from '../support/lsp-client';
import { generateScript, prng } from './corpus';

/** The server waits this long after a keystroke before checking (src/server/server.ts DEBOUNCE_MS). */
export const DEBOUNCE_MS = 150;

export interface LatencyResult {
  lines: number;
  samples: number[];
}

/**
 * Edit → diagnostics latency over LSP in a 2,000-line script on a warm server. Each edit adds or
 * removes a `torch.manual_seed(0)` line, so the published diagnostics alternate between one
 * unset-seed warning and none — proof that each publication is for the new text.
 */
export async function measureEditLatency(dir: string, iterations = 50): Promise<LatencyResult> {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'big_train.py');
  let text = generateScript(prng(7), 2000);
  text = text.replace(/^ {4}torch\.manual_seed\(args\.seed\)\n {4}np\.random\.seed\(args\.seed\)\n/m, '');
  fs.writeFileSync(file, text);
  const lines = text.split('\n').length;
  const client = new TestLspClient();
  try {
    await client.initialize(dir);
    const fileUri = uri(file);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: fileUri, languageId: 'python', version: 1, text } });
    const unsetSeed = (d: { code?: unknown }[]) => d.filter((x) => x.code === 'unset-seed').length;
    await client.waitForDiagnostics(fileUri, (d) => unsetSeed(d) === 1, 30_000);
    const insertAt = text.split('\n').findIndex((l) => l.startsWith('def main():')) + 1;
    const samples: number[] = [];
    for (let i = 0; i < iterations + 5; i++) {
      const seeding = i % 2 === 0;
      const change = seeding
        ? { range: { start: { line: insertAt, character: 0 }, end: { line: insertAt, character: 0 } }, text: '    torch.manual_seed(0)\n    np.random.seed(0)\n' }
        : { range: { start: { line: insertAt, character: 0 }, end: { line: insertAt + 2, character: 0 } }, text: '' };
      const started = performance.now();
      await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: fileUri, version: i + 2 }, contentChanges: [change] });
      await client.waitForDiagnostics(fileUri, (d) => unsetSeed(d) === (seeding ? 0 : 1), 30_000);
      if (i >= 5) samples.push(performance.now() - started); // the first five warm the server up
    }
    return { lines, samples };
  } finally {
    await client.dispose();
  }
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
