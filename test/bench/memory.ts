import * as fs from 'node:fs';
import { TestLspClient } from '../support/lsp-client';

/** Resident memory of the language server after it scanned `root` and settled. */
export async function serverIdleRss(root: string): Promise<{ rssMB: number; scanSeconds: number }> {
  const client = new TestLspClient();
  try {
    const idle = new Promise<void>((resolve) => {
      client.connection.onNotification('dlDoctor/status', (status: { state: string; total?: number }) => {
        if (status.state === 'idle') resolve();
      });
    });
    const started = performance.now();
    await client.initialize(root);
    await idle;
    const scanSeconds = (performance.now() - started) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const status = fs.readFileSync(`/proc/${client.pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]);
    return { rssMB: kb / 1024, scanSeconds };
  } finally {
    await client.dispose();
  }
}
