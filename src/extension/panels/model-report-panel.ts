import * as path from 'node:path';
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { ModelLayersRequest } from '../../protocol/model-layers';
import { ModelReportRequest, parseReportViewMessage, type ModelReportResult, type ReportHostMessage, type ReportViewMessage } from '../../protocol/model-report';
import { WebviewHost } from './webview-host';

/** What a report page last rendered, as the page itself said (the integration tests read it). */
export type RenderedReport = Extract<ReportViewMessage, { type: 'rendered' }>;

/** A file written in quick bursts (a checkpoint being saved) is re-read once it settles. */
const RELOAD_DELAY_MS = 500;

/** Formats that store a layer topology TensorFlow.js can build (per-layer shapes and MACs). */
const LAYERED_FORMATS = new Set(['keras', 'keras-h5', 'tfjs']);

/**
 * One Model Report page for one model file: asks the language server for the file's report, sends it
 * to the page, and reads the file again when it changes on disk. For Keras and TF.js Layers files it
 * then asks for the per-layer analysis, which TensorFlow.js computes in the server's worker thread.
 */
export class ModelReportPanel extends WebviewHost<ReportHostMessage, ReportViewMessage> {
  private reloadTimer?: NodeJS.Timeout;
  private generation = 0;
  private layers?: vscode.CancellationTokenSource;

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
    this.disposables.push(watcher, watcher.onDidChange(() => this.reloadSoon()), watcher.onDidCreate(() => this.reloadSoon()), {
      dispose: () => {
        clearTimeout(this.reloadTimer);
        this.layers?.cancel();
      },
    });
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
      case 'analyzeLayers':
        await this.analyzeLayers(this.generation);
        return;
      case 'cancelLayers':
        this.layers?.cancel();
        return;
      case 'rendered':
        this.output.info(
          `Model Report: ${vscode.workspace.asRelativePath(this.file)} rendered ${message.tensorRows} tensor rows, ${message.modules} modules, ` +
            `${message.findings} findings, ${message.layerRows} layer rows in ${message.renderMs.toFixed(0)} ms`,
        );
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
    this.layers?.cancel();
    const name = vscode.workspace.asRelativePath(this.file);
    if (this.client.state !== State.Running) {
      this.post({ type: 'failed', name, message: 'The DL Doctor language server is not running. Run "DL Doctor: Show Output" to see why.' });
      return;
    }
    this.post({ type: 'loading', name });
    let result: ModelReportResult;
    try {
      result = await this.client.sendRequest(ModelReportRequest, { uri: this.file.toString() });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.output.error(`Model Report: ${name}: ${message}`);
      if (generation === this.generation) this.post({ type: 'failed', name, message });
      return;
    }
    if (generation !== this.generation) return;
    this.post({ type: 'report', name, result });
    if ('report' in result && LAYERED_FORMATS.has(result.report.summary.format)) await this.analyzeLayers(generation);
  }

  /**
   * Per-layer shapes and MACs. Building the model takes a moment, so the report shows first and the
   * layers follow; closing the report, reading the file again or the page's Stop button cancels the
   * request, and the server then ends its worker.
   */
  private async analyzeLayers(generation: number): Promise<void> {
    this.layers?.cancel();
    const cancellation = (this.layers = new vscode.CancellationTokenSource());
    this.post({ type: 'layersRunning' });
    try {
      const result = await this.client.sendRequest(ModelLayersRequest, { uri: this.file.toString() }, cancellation.token);
      if (generation === this.generation) this.post({ type: 'layers', result });
    } catch (error) {
      const cancelled = cancellation.token.isCancellationRequested;
      const message = cancelled ? 'The layer analysis was stopped.' : error instanceof Error ? error.message : String(error);
      if (!cancelled) this.output.error(`Model Report: layer analysis of ${vscode.workspace.asRelativePath(this.file)}: ${message}`);
      if (generation === this.generation) this.post({ type: 'layers', result: { ok: false, error: { file: this.file.fsPath, kind: cancelled ? 'cancelled' : 'failed', message } } });
    } finally {
      cancellation.dispose();
      if (this.layers === cancellation) this.layers = undefined;
    }
  }
}
