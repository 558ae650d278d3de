/**
 * Figure 7: how long the editor waits for a model file's report data: from sending the report
 * request over a real LSP connection to the built server until its response arrives.
 */
import * as fs from 'node:fs';
import { ModelReportRequest, type ModelReportResult } from '../../../src/protocol/model-report';
import { TestLspClient, uri } from '../../support/lsp-client';
import { watchScan } from '../server-status';

/** The request the Model Report sends when it opens. */
export const REPORT_REQUEST = ModelReportRequest;

export interface ReportOpen {
  /** The first request for the file on a fresh server: read, weight statistics, rules, transfer. */
  coldMs: number;
  /** Later requests for the same unchanged file. */
  warmMs: number[];
  responseBytes: number;
  result: ModelReportResult;
}

/**
 * A fresh server per file, so each cold figure starts from the same state. Its workspace root is
 * an empty folder: a root holding the file would have it read by the workspace scan first, and
 * the first request would already be warm.
 */
export async function measureReportOpen(file: string, emptyRoot: string, warmRequests: number): Promise<ReportOpen> {
  fs.mkdirSync(emptyRoot, { recursive: true });
  const client = new TestLspClient();
  try {
    const scan = watchScan(client, 60_000);
    await client.initialize(emptyRoot);
    await scan.idle;
    const request = () => client.connection.sendRequest(REPORT_REQUEST, { uri: uri(file) });
    let started = performance.now();
    const result = await request();
    const coldMs = performance.now() - started;
    const warmMs: number[] = [];
    for (let i = 0; i < warmRequests; i++) {
      started = performance.now();
      await request();
      warmMs.push(performance.now() - started);
    }
    if (client.exited) throw new Error(`the server exited\n${client.logs.join('\n')}`);
    return { coldMs, warmMs, responseBytes: Buffer.byteLength(JSON.stringify(result)), result };
  } finally {
    await client.dispose();
  }
}
