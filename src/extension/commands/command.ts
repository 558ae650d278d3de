import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { RuleCatalog } from '../rules';

/** What every command can reach. */
export interface CommandContext {
  client: LanguageClient;
  rules: RuleCatalog;
  output: vscode.LogOutputChannel;
}

export interface Command {
  id: string;
  /** Whether the command talks to the language server (it then says so when the server is down). */
  needsServer: boolean;
  run(context: CommandContext, ...args: unknown[]): Promise<unknown>;
}
