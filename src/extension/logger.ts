import * as vscode from 'vscode';

/** The "DL Doctor" output channel, shared by the extension and the language client's server log. */
export function createOutputChannel(): vscode.LogOutputChannel {
  return vscode.window.createOutputChannel('DL Doctor', { log: true });
}

/** Shows an error with a button that opens the log, where the details are. */
export async function showError(output: vscode.LogOutputChannel, message: string, error?: unknown): Promise<void> {
  if (error !== undefined) output.error(`${message}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  const choice = await vscode.window.showErrorMessage(message, 'Show Output');
  if (choice) output.show();
}
