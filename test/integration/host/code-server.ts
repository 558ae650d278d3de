import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const HOST_DIR = process.env.DL_DOCTOR_HOST_DIR ?? path.join(os.homedir(), '.cache/dl-doctor/code-server-4.100.3');
const ENTRY = path.join(HOST_DIR, 'node_modules/code-server/out/node/entry.js');

/** Runs setup-host.sh (idempotent: a no-op once the host is cached). */
export function ensureHost(): void {
  execFileSync('bash', [path.resolve(__dirname, '../setup-host.sh')], { stdio: 'inherit' });
  if (!fs.existsSync(ENTRY)) throw new Error(`code-server is not installed at ${ENTRY}`);
}

/** Installs a .vsix into a profile's extensions folder, as a user would. */
export function installExtension(vsix: string, userDataDir: string, extensionsDir: string): void {
  execFileSync(process.execPath, [ENTRY, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix], {
    stdio: 'pipe',
  });
}

export interface RunningHost {
  port: number;
  process: ChildProcess;
  /** Everything code-server printed, for failure reports. */
  log: string[];
  stop(): Promise<void>;
}

/** Starts code-server on a free loopback port with no auth and an isolated profile. */
export async function startHost(workspace: string, userDataDir: string, extensionsDir: string): Promise<RunningHost> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      ENTRY,
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--user-data-dir', userDataDir,
      '--extensions-dir', extensionsDir,
      workspace,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  const log: string[] = [];
  child.stdout!.on('data', (chunk: Buffer) => log.push(chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => log.push(chunk.toString()));
  const host: RunningHost = {
    port,
    process: child,
    log,
    stop: async () => {
      if (child.exitCode !== null) return;
      try {
        process.kill(-child.pid!, 'SIGTERM'); // the whole group: code-server forks its extension hosts
      } catch {
        // already gone
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    },
  };
  await waitForPort(port, child, log, 60_000);
  return host;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function waitForPort(port: number, child: ChildProcess, log: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}:\n${log.join('')}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`code-server did not listen on ${port} within ${timeoutMs} ms:\n${log.join('')}`);
}
