import * as path from 'node:path';
import * as vscode from 'vscode';
import { isModelPath, MODEL_EXTENSIONS, TFJS_MODEL_FILE } from '../../engine/models/model-files';
import { MODEL_REPORT_VIEW_TYPE } from '../../protocol/model-report';
import { OPEN_MODEL_REPORT_COMMAND } from '../../protocol/requests';
import type { Command } from './command';

/** The quick pick lists at most this many model files (a workspace of checkpoints can hold thousands). */
const MAX_PICKED_FILES = 1000;

/**
 * Opens a model file's report: from a code lens (a URI string), the explorer (a Uri), or the palette
 * (the active editor's model file, else a pick of the workspace's model files).
 */
export const openModelReport: Command = {
  id: OPEN_MODEL_REPORT_COMMAND,
  needsServer: true,
  async run(_context, target?: unknown): Promise<vscode.Uri | undefined> {
    const file = typeof target === 'string' ? vscode.Uri.parse(target) : target instanceof vscode.Uri ? target : await pickModelFile();
    if (!file) return undefined;
    if (!isModelPath(file.fsPath)) {
      void vscode.window.showWarningMessage(`DL Doctor cannot report on ${path.basename(file.fsPath)}: it reads ${MODEL_EXTENSIONS.join(', ')} and ${TFJS_MODEL_FILE} files.`);
      return undefined;
    }
    await vscode.commands.executeCommand('vscode.openWith', file, MODEL_REPORT_VIEW_TYPE);
    return file;
  },
};

async function pickModelFile(): Promise<vscode.Uri | undefined> {
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.scheme === 'file' && isModelPath(active.fsPath)) return active;
  const pattern = `**/{${[...MODEL_EXTENSIONS.map((e) => `*${e}`), TFJS_MODEL_FILE].join(',')}}`;
  const files = await vscode.workspace.findFiles(pattern, '**/{node_modules,.git,.venv,venv,site-packages}/**', MAX_PICKED_FILES);
  if (files.length === 0) {
    void vscode.window.showInformationMessage('DL Doctor found no model files in this workspace.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    files
      .map((uri) => ({ label: path.basename(uri.fsPath), description: vscode.workspace.asRelativePath(path.dirname(uri.fsPath)), uri }))
      .sort((a, b) => a.description.localeCompare(b.description) || a.label.localeCompare(b.label)),
    { title: 'DL Doctor: Open Model Report', placeHolder: 'Pick a model file', matchOnDescription: true },
  );
  return picked?.uri;
}
