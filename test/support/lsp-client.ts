import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import {
  createProtocolConnection,
  PublishDiagnosticsNotification,
  type Diagnostic,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol';
import { REPO } from './engine';

/**
 * A real LSP client for the built server (dist/server.js) over stdio: it answers the server's
 * configuration and registration requests like an editor and records published diagnostics.
 */
export class TestLspClient {
  readonly connection: ProtocolConnection;
  readonly diagnostics = new Map<string, Diagnostic[]>();
  /** What `workspace/configuration` answers for section `dlDoctor`. */
  settings: Record<string, unknown> = {};
  readonly logs: string[] = [];
  private readonly process: ChildProcess;
  private readonly listeners = new Set<() => void>();

  constructor() {
    this.process = spawn(process.execPath, [path.join(REPO, 'dist/server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.process.stderr!.on('data', (chunk: Buffer) => this.logs.push(chunk.toString()));
    this.connection = createProtocolConnection(new StreamMessageReader(this.process.stdout!), new StreamMessageWriter(this.process.stdin!));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.diagnostics.set(params.uri, params.diagnostics);
      for (const listener of this.listeners) listener();
    });
    this.connection.onNotification('window/logMessage', (params: { message: string }) => this.logs.push(params.message));
    this.connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) =>
      params.items.map(() => this.settings),
    );
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.listen();
  }

  async initialize(root: string): Promise<void> {
    await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: uri(root),
      workspaceFolders: [{ uri: uri(root), name: path.basename(root) }],
      capabilities: {
        workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true }, didChangeConfiguration: { dynamicRegistration: true } },
        window: { workDoneProgress: true },
        textDocument: { publishDiagnostics: { versionSupport: true, codeDescriptionSupport: true, dataSupport: true } },
      },
    });
    await this.connection.sendNotification('initialized', {});
  }

  /** Resolves with the file's diagnostics once `accept` holds for them; rejects after the deadline. */
  waitForDiagnostics(fileUri: string, accept: (d: Diagnostic[]) => boolean, timeoutMs = 10_000): Promise<Diagnostic[]> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const current = this.diagnostics.get(fileUri);
        if (current && accept(current)) {
          this.listeners.delete(check);
          clearTimeout(timer);
          resolve(current);
        }
      };
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(new Error(`no matching diagnostics for ${fileUri} within ${timeoutMs} ms; last: ${JSON.stringify(this.diagnostics.get(fileUri))}\nserver log:\n${this.logs.join('\n')}`));
      }, timeoutMs);
      this.listeners.add(check);
      check();
    });
  }

  /** The server's process id (benchmarks read its memory from /proc). */
  get pid(): number | undefined {
    return this.process.pid;
  }

  get exited(): boolean {
    return this.process.exitCode !== null;
  }

  async dispose(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.connection.sendNotification('exit');
    } catch {
      // already gone
    }
    this.connection.dispose();
    this.process.kill();
  }
}

export function uri(file: string): string {
  return pathToFileURL(file).href;
}
