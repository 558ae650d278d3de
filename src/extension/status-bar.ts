import * as vscode from 'vscode';
import type { ServerStatus } from '../protocol/requests';

/** Count of findings in the status bar; a click focuses the DL Doctor view. Shows scans in progress. */
export class FindingsStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('dlDoctor.status', vscode.StatusBarAlignment.Left, 10);
  private status: ServerStatus = { state: 'starting' };
  private findings = 0;

  constructor() {
    this.item.name = 'DL Doctor';
    this.item.command = 'dlDoctor.findings.focus';
    this.render();
    this.item.show();
  }

  setFindings(count: number): void {
    this.findings = count;
    this.render();
  }

  setStatus(status: ServerStatus): void {
    this.status = status;
    this.render();
  }

  /** What the item shows, for tests and screen readers. */
  get text(): string {
    return this.item.text;
  }

  private render(): void {
    const { state, done, total, lastCheckMs } = this.status;
    const findings = `${this.findings} finding${this.findings === 1 ? '' : 's'}`;
    if (state === 'scanning' && total) {
      this.item.text = `$(sync~spin) DL Doctor ${done ?? 0}/${total}`;
    } else if (state === 'starting') {
      this.item.text = '$(sync~spin) DL Doctor';
    } else {
      this.item.text = `$(beaker) ${this.findings}`;
    }
    this.item.accessibilityInformation = { label: `DL Doctor: ${findings}` };
    const timing = lastCheckMs !== undefined ? `\n\nLast check: ${lastCheckMs.toFixed(0)} ms` : '';
    this.item.tooltip = new vscode.MarkdownString(`**DL Doctor**: ${findings} in the workspace. Click to show them.${timing}`);
  }

  dispose(): void {
    this.item.dispose();
  }
}
