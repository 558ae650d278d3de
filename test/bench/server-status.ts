/** Waits for the language server's `dlDoctor/status` idle notification, sent when a workspace scan ends. */
import { StatusNotification, type ServerStatus } from '../../src/protocol/requests';
import type { TestLspClient } from '../support/lsp-client';

export interface ScanWatch {
  /** Resolves with the last scanning status (files done/total) when the server reports idle. */
  idle: Promise<ServerStatus | undefined>;
}

/** Call before `initialize`: the scan starts right after the `initialized` notification. */
export function watchScan(client: TestLspClient, timeoutMs: number): ScanWatch {
  let last: ServerStatus | undefined;
  const idle = new Promise<ServerStatus | undefined>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not report idle within ${timeoutMs / 1000} s\n${client.logs.join('\n')}`)), timeoutMs);
    client.connection.onNotification(StatusNotification, (status) => {
      if (status.state === 'scanning') last = status;
      if (status.state === 'idle') {
        clearTimeout(timer);
        resolve(last);
      }
    });
  });
  return { idle };
}
