import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { MODEL_REPORT_VIEW_TYPE } from '../../protocol/model-report';
import { ModelReportPanel, type RenderedReport } from './model-report-panel';

/**
 * The read-only custom editor that opens model files (checkpoints, exports) as a Model Report
 * instead of as binary text. Several reports of one file may be open; each reads it independently.
 */
export class ModelReportEditor implements vscode.CustomReadonlyEditorProvider {
  private readonly rendered = new Map<string, RenderedReport>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly client: LanguageClient,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  register(): vscode.Disposable {
    return vscode.window.registerCustomEditorProvider(MODEL_REPORT_VIEW_TYPE, this, { supportsMultipleEditorsPerDocument: true });
  }

  /** What the report page of this file last said it rendered. */
  lastRendered(file: vscode.Uri): RenderedReport | undefined {
    return this.rendered.get(file.toString());
  }

  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => undefined };
  }

  resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): void {
    new ModelReportPanel(panel, this.extensionUri, document.uri, this.client, this.output, (file, rendered) => this.rendered.set(file.toString(), rendered));
  }
}
