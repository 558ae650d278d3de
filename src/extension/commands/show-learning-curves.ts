import * as vscode from 'vscode';
import { SHOW_LEARNING_CURVES_COMMAND } from '../../protocol/learning-curves';
import type { Command } from './command';

/**
 * Opens the Learning Curves panel: for a log URI (a code lens, the Runs view, the explorer), else for
 * the active editor's file when it is a log, else with the workspace's most recent run.
 */
export const showLearningCurves: Command = {
  id: SHOW_LEARNING_CURVES_COMMAND,
  needsServer: true,
  async run({ learningCurves }, target?: unknown): Promise<boolean> {
    if (!learningCurves) return false;
    const active = vscode.window.activeTextEditor?.document.uri;
    const uri = typeof target === 'string' ? target : target instanceof vscode.Uri ? target.toString() : active?.scheme === 'file' && /\.(csv|tsv|log|json)$/i.test(active.fsPath) ? active.toString() : undefined;
    learningCurves.show(uri);
    return true;
  },
};
