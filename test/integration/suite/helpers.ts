import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DlDoctorApi } from '../../../src/extension/extension';
import { SCENARIO_CONFIG_FILE, type ScenarioConfig } from '../result';

export const EXTENSION_ID = 'dl-doctor.dl-doctor';

/** The installed (packaged) extension, activated, with its language server ready. */
export async function activeExtension(): Promise<{ extension: vscode.Extension<DlDoctorApi>; api: DlDoctorApi }> {
  const extension = vscode.extensions.getExtension<DlDoctorApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not installed`);
  const api = await extension.activate();
  await api.ready;
  return { extension, api };
}

export function workspaceFile(...segments: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder is open');
  return vscode.Uri.file(path.join(folder.uri.fsPath, ...segments));
}

export function dlDoctorDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'dl-doctor');
}

/** Polls until `accept` holds, with a deadline; never a fixed sleep. */
export async function waitFor<T>(what: string, probe: () => T | Promise<T>, accept: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!accept(last)) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last value: ${describe(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    last = await probe();
  }
  return last;
}

function describe(value: unknown): string {
  if (Array.isArray(value) && value.every((v) => v instanceof vscode.Diagnostic)) {
    return JSON.stringify(value.map((d: vscode.Diagnostic) => ({ code: d.code, line: d.range.start.line, message: d.message })));
  }
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

export function codeOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return typeof code === 'object' && code !== null ? String(code.value) : String(code);
}

/**
 * When the launcher asked for screenshots, hold the workbench still until it has taken the one named
 * `name` (a handshake through two files; the launcher owns the browser, the suite owns the editor state).
 */
export async function pauseForScreenshot(name: string): Promise<void> {
  const config = JSON.parse(fs.readFileSync(path.join(__dirname, SCENARIO_CONFIG_FILE), 'utf8')) as ScenarioConfig;
  const handshake = config.screenshotHandshake;
  if (!handshake) return;
  fs.writeFileSync(`${handshake}-${name}.ready`, '');
  await waitFor(`the launcher to take the ${name} screenshot`, () => fs.existsSync(`${handshake}-${name}.done`), (done) => done, 30_000);
}
