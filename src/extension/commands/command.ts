import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { RuleCatalog } from '../rules';
import type { LearningCurves } from '../panels/learning-curves-panel';

/** What every command can reach. */
export interface CommandContext {
  client: LanguageClient;
  rules: RuleCatalog;
  output: vscode.LogOutputChannel;
  learningCurves?: LearningCurves;
}

export interface Command {
  id: string;
  /** Whether the command talks to the language server (it then says so when the server is down). */
  needsServer: boolean;
  run(context: CommandContext, ...args: unknown[]): Promise<unknown>;
}
