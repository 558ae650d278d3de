import * as vscode from 'vscode';
import { State } from 'vscode-languageclient/node';
import { showError } from '../logger';
import { analyzeWorkspace } from './analyze-workspace';
import type { Command, CommandContext } from './command';
import { explainRule } from './explain-rule';
import { openModelReport } from './open-model-report';
import { showOutput } from './show-output';
import { showLearningCurves } from './show-learning-curves';

/** Every palette command; package.json's `contributes.commands` lists the same ids. */
export const COMMANDS: readonly Command[] = [analyzeWorkspace, explainRule, showOutput, openModelReport, showLearningCurves];

/** Registers all commands in one loop; a command that needs a stopped server says so instead of throwing. */
export function registerCommands(context: CommandContext): vscode.Disposable[] {
  return COMMANDS.map((command) =>
    vscode.commands.registerCommand(command.id, async (...args: unknown[]) => {
      if (command.needsServer && context.client.state !== State.Running) {
        await showError(context.output, 'The DL Doctor language server is not running. See the DL Doctor output for why.');
        return undefined;
      }
      try {
        return await command.run(context, ...args);
      } catch (error) {
        await showError(context.output, `DL Doctor: ${command.id} failed`, error);
        return undefined;
      }
    }),
  );
}
