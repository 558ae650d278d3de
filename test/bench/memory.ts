/** Figure 4: the language server's resident memory once it has scanned a workspace and settled. */
import * as fs from 'node:fs';
import { TestLspClient } from '../support/lsp-client';
import { watchScan } from './server-status';

export interface MemoryResult {
  /** VmRSS after the scan and the settle time. */
  rssMB: number;
  /** VmHWM: the peak resident size during the scan. */
  peakMB: number;
  scanSeconds: number;
  /** Files the server said it would scan, and files it published diagnostics for. */
  scanned?: number;
  published: number;
}

function procStatusMB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1];
  if (!kb) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(kb) / 1024;
}

export async function serverIdleRss(root: string, settleMs: number): Promise<MemoryResult> {
  const client = new TestLspClient();
  try {
    const pid = client.pid;
    if (pid === undefined) throw new Error('the server process did not start');
    const scan = watchScan(client, 10 * 60_000);
    const started = performance.now();
    await client.initialize(root);
    const last = await scan.idle;
    const scanSeconds = (performance.now() - started) / 1000;
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    if (client.exited) throw new Error(`the server exited during the scan\n${client.logs.join('\n')}`);
    return { rssMB: procStatusMB(pid, 'VmRSS'), peakMB: procStatusMB(pid, 'VmHWM'), scanSeconds, scanned: last?.total, published: client.diagnostics.size };
  } finally {
    await client.dispose();
  }
}
