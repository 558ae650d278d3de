import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

/** Starts the language server (dist/server.js) as a separate Node process, spoken to over IPC. */
export function createClient(context: vscode.ExtensionContext, outputChannel: vscode.LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'python' },
      { scheme: 'file', pattern: '**/*.{py,pyw}' },
      // Its [tool.dl-doctor] table gets diagnostics as it is edited.
      { scheme: 'file', pattern: '**/pyproject.toml' },
      // Scripts that load TensorFlow.js models get the model's code lens.
      { scheme: 'file', language: 'javascript' },
      { scheme: 'file', language: 'typescript' },
    ],
    synchronize: { configurationSection: 'dlDoctor' },
    outputChannel,
    // Findings on one file must never stop the others from being shown; keep the server alive.
    connectionOptions: { maxRestartCount: 5 },
  };
  return new LanguageClient('dlDoctor', 'DL Doctor', serverOptions, clientOptions);
}
