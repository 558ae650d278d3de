import * as crypto from 'node:crypto';
import * as vscode from 'vscode';

/** What a panel's page loads: its script bundle and its stylesheet, both from the extension. */
export interface WebviewEntry {
  /** `dist/webview/<script>.js`. */
  script: string;
  /** `media/<style>.css`. */
  style: string;
  title: string;
}

/**
 * The one place that owns a webview's page: a strict Content Security Policy (no remote origins, no
 * inline or eval'd script, scripts by nonce), local resources limited to the bundles and media, the
 * "ready" handshake (nothing is posted before the page listens, so no message is lost), validation
 * of every incoming message, and disposal. Each panel adds only its data and its message handling.
 */
export abstract class WebviewHost<HostMessage, ViewMessage extends { type: string }> implements vscode.Disposable {
  private ready = false;
  private queue: HostMessage[] = [];
  protected readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  constructor(
    protected readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly entry: WebviewEntry,
    private readonly parse: (message: unknown) => ViewMessage | undefined,
    protected readonly output: vscode.LogOutputChannel,
  ) {
    const dist = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
    const media = vscode.Uri.joinPath(extensionUri, 'media');
    panel.webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: [dist, media] };
    panel.webview.html = this.html();
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  /** Sends a message now if the page is listening, or as soon as it says it is. */
  protected post(message: HostMessage): void {
    if (this.disposed) return;
    if (!this.ready) {
      this.queue.push(message);
      return;
    }
    void this.panel.webview.postMessage(message);
  }

  /** Called once the page is listening (after queued messages went out). */
  protected abstract onReady(): void;
  protected abstract onMessage(message: ViewMessage): void | Promise<void>;

  private receive(raw: unknown): void {
    const message = this.parse(raw);
    if (!message) {
      this.output.warn(`${this.entry.title}: ignored an unexpected message from the webview: ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    if (message.type === 'ready') {
      // A reload of the page (the webview was hidden and restored) says ready again.
      this.ready = true;
      const queued = this.queue;
      this.queue = [];
      for (const m of queued) void this.panel.webview.postMessage(m);
      this.onReady();
      return;
    }
    Promise.resolve(this.onMessage(message)).catch((error: unknown) => {
      this.output.error(`${this.entry.title}: ${message.type} failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  private html(): string {
    const webview = this.panel.webview;
    const nonce = crypto.randomBytes(16).toString('base64');
    const asset = (...segments: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...segments)).toString();
    const csp = [
      "default-src 'none'",
      `script-src 'nonce-${nonce}'`,
      `style-src ${webview.cspSource}`,
      `font-src ${webview.cspSource}`,
      `img-src ${webview.cspSource} data:`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${asset('dist', 'webview', 'codicon.css')}" id="vscode-codicon-stylesheet">
  <link rel="stylesheet" href="${asset('media', this.entry.style)}">
  <title>${escapeHtml(this.entry.title)}</title>
</head>
<body>
  <main id="root" aria-busy="true"></main>
  <script nonce="${nonce}" src="${asset('dist', 'webview', this.entry.script)}"></script>
</body>
</html>`;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.queue = [];
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
