import * as path from 'node:path';
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { ModelReportRequest, parseReportViewMessage, type ReportHostMessage, type ReportViewMessage } from '../../protocol/model-report';
import { WebviewHost } from './webview-host';

/** What a report page last rendered, as the page itself said (the integration tests read it). */
export type RenderedReport = Extract<ReportViewMessage, { type: 'rendered' }>;

/** A file written in quick bursts (a checkpoint being saved) is re-read once it settles. */
const RELOAD_DELAY_MS = 500;

/**
 * One Model Report page for one model file: asks the language server for the file's report, sends it
 * to the page, and reads the file again when it changes on disk.
 */
export class ModelReportPanel extends WebviewHost<ReportHostMessage, ReportViewMessage> {
  private reloadTimer?: NodeJS.Timeout;
  private generation = 0;

  constructor(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    readonly file: vscode.Uri,
    private readonly client: LanguageClient,
    output: vscode.LogOutputChannel,
    private readonly onRendered: (file: vscode.Uri, rendered: RenderedReport) => void,
  ) {
    super(panel, extensionUri, { script: 'model-report.js', style: 'model-report.css', title: `Model Report: ${path.basename(file.fsPath)}` }, parseReportViewMessage, output);
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.dirname(file.fsPath)), path.basename(file.fsPath)));
    this.disposables.push(watcher, watcher.onDidChange(() => this.reloadSoon()), watcher.onDidCreate(() => this.reloadSoon()), { dispose: () => clearTimeout(this.reloadTimer) });
  }

  protected onReady(): void {
    void this.load();
  }

  protected async onMessage(message: ReportViewMessage): Promise<void> {
    switch (message.type) {
      case 'explainRule':
        await vscode.commands.executeCommand('dlDoctor.explainRule', message.rule);
        return;
      case 'refresh':
        await this.load();
        return;
      case 'rendered':
        this.output.info(`Model Report: ${vscode.workspace.asRelativePath(this.file)} rendered ${message.tensorRows} tensor rows, ${message.modules} modules, ${message.findings} findings in ${message.renderMs.toFixed(0)} ms`);
        this.onRendered(this.file, message);
        return;
      case 'ready':
        return;
    }
  }

  private reloadSoon(): void {
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => void this.load(), RELOAD_DELAY_MS);
  }

  /** Fetches the report; a newer load (the file changed again) wins over an older one still running. */
  private async load(): Promise<void> {
    const generation = ++this.generation;
    const name = vscode.workspace.asRelativePath(this.file);
    if (this.client.state !== State.Running) {
      this.post({ type: 'failed', name, message: 'The DL Doctor language server is not running. Run "DL Doctor: Show Output" to see why.' });
      return;
    }
    this.post({ type: 'loading', name });
    try {
      const result = await this.client.sendRequest(ModelReportRequest, { uri: this.file.toString() });
      if (generation === this.generation) this.post({ type: 'report', name, result });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.output.error(`Model Report: ${name}: ${message}`);
      if (generation === this.generation) this.post({ type: 'failed', name, message });
    }
  }
}
