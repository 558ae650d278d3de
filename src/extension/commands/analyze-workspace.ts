import * as vscode from 'vscode';
import { AnalyzeWorkspaceRequest, type AnalyzeWorkspaceResult } from '../../protocol/requests';
import type { Command } from './command';

export const analyzeWorkspace: Command = {
  id: 'dlDoctor.analyzeWorkspace',
  needsServer: true,
  async run({ client }): Promise<AnalyzeWorkspaceResult> {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'DL Doctor: analysing workspace' },
      () => client.sendRequest(AnalyzeWorkspaceRequest),
    );
    const seconds = (result.durationMs / 1000).toFixed(1);
    const summary = `DL Doctor checked ${result.filesChecked} file${result.filesChecked === 1 ? '' : 's'} in ${seconds} s: ${result.findings} finding${result.findings === 1 ? '' : 's'}.`;
    void vscode.window.setStatusBarMessage(result.cancelled ? 'DL Doctor: analysis cancelled' : summary, 8000);
    return result;
  },
};
