import * as vscode from 'vscode';
import { OPEN_MODEL_SUMMARY_COMMAND } from '../../protocol/requests';
import { ModelSummaryPages } from '../model-summary';
import type { Command } from './command';

/** From a code lens (a URI string) or the explorer (a Uri): the model file's summary as rendered markdown. */
export const openModelSummary: Command = {
  id: OPEN_MODEL_SUMMARY_COMMAND,
  needsServer: true,
  async run(_context, target?: unknown): Promise<vscode.Uri | undefined> {
    const file = typeof target === 'string' ? vscode.Uri.parse(target) : target instanceof vscode.Uri ? target : undefined;
    if (!file) {
      void vscode.window.showInformationMessage('Right-click a model file in the Explorer, or use the code lens above a torch.load(...) line.');
      return undefined;
    }
    const page = ModelSummaryPages.uriFor(file);
    await vscode.commands.executeCommand('markdown.showPreview', page);
    return page;
  },
};
