import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { State } from 'vscode-languageclient/node';
import { ListRunsRequest, SHOW_LEARNING_CURVES_COMMAND, type RunSummary } from '../../protocol/learning-curves';

/** Runs listed in the sidebar (the most recent first). */
const MAX_RUNS = 200;
const FORMATS: Record<RunSummary['format'], string> = {
  'keras-csv': 'Keras CSVLogger',
  'lightning-csv': 'Lightning metrics.csv',
  'hf-trainer-state': 'Hugging Face trainer_state.json',
  'keras-history-json': 'Keras History JSON',
  tensorboard: 'TensorBoard',
};

/** The sidebar's "Runs": the training logs the language server finds; a click opens their curves. */
export class RunsTree implements vscode.TreeDataProvider<RunSummary>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private timer?: NodeJS.Timeout;

  constructor(private readonly client: LanguageClient) {}

  /** Lists the runs again, at most once a second (logs grow while training runs). */
  refresh(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.changed.fire(undefined);
    }, 1000);
  }

  async getChildren(element?: RunSummary): Promise<RunSummary[]> {
    if (element || this.client.state !== State.Running) return [];
    return (await this.client.sendRequest(ListRunsRequest)).slice(0, MAX_RUNS);
  }

  getTreeItem(run: RunSummary): vscode.TreeItem {
    const item = new vscode.TreeItem(run.run, vscode.TreeItemCollapsibleState.None);
    item.description = run.modified ? new Date(run.modified).toLocaleString() : undefined;
    item.tooltip = `${FORMATS[run.format]} · ${vscode.Uri.parse(run.uri).fsPath}`;
    item.iconPath = new vscode.ThemeIcon('graph-line');
    item.resourceUri = vscode.Uri.parse(run.uri);
    item.command = { title: 'Show Learning Curves', command: SHOW_LEARNING_CURVES_COMMAND, arguments: [run.uri] };
    return item;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.changed.dispose();
  }
}
