import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  ListRunsRequest,
  MAX_SHOWN_RUNS,
  parseCurvesViewMessage,
  RunCurvesRequest,
  type CurvesHostMessage,
  type CurvesViewMessage,
  type RunCurves,
} from '../../protocol/learning-curves';
import { WebviewHost } from './webview-host';

/** What the page last drew, as it said (the integration tests read it). */
export type RenderedCurves = Extract<CurvesViewMessage, { type: 'rendered' }>;

/** A growing log redraws at most this often (the server re-reads it at most twice a second too). */
const LIVE_UPDATE_MS = 500;
/** The fallback re-read of shown runs while the panel is visible. */
const POLL_MS = 3000;

/**
 * The one Learning Curves panel: lists the workspace's runs (from the language server), draws the
 * ones picked, and redraws a shown run when the server says its log changed (throttled).
 */
export class LearningCurvesPanel extends WebviewHost<CurvesHostMessage, CurvesViewMessage> {
  private shown: string[] = [];
  private generation = 0;
  private timer?: NodeJS.Timeout;
  private lastLoad = 0;
  private poll?: NodeJS.Timeout;
  /** The last message sent to the page (the integration tests read it). */
  lastSent?: CurvesHostMessage;

  constructor(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly client: LanguageClient,
    output: vscode.LogOutputChannel,
    runChanged: vscode.Event<string>,
    private readonly onRendered: (rendered: RenderedCurves) => void,
  ) {
    super(panel, extensionUri, { script: 'learning-curves.js', style: 'learning-curves.css', title: 'Learning Curves' }, parseCurvesViewMessage, output);
    this.disposables.push(
      runChanged((uri) => {
        if (this.shown.includes(uri)) this.loadSoon();
      }),
      { dispose: () => clearTimeout(this.timer) },
      { dispose: () => clearInterval(this.poll) },
    );
    // File events can be late or missing (network drives, some remote hosts): while visible, ask again
    // every few seconds; the page is only redrawn when a shown log's modification time moved.
    this.poll = setInterval(() => {
      if (this.panel.visible && this.shown.length > 0) void this.load(false, true);
    }, POLL_MS);
  }

  /** Shows a run (added to the ones drawn) or, without one, the most recent run. */
  show(uri: string | undefined): void {
    if (uri && !this.shown.includes(uri)) this.shown = [uri, ...this.shown].slice(0, MAX_SHOWN_RUNS);
    this.panel.reveal();
    void this.load(!uri && this.shown.length === 0);
  }

  protected onReady(): void {
    void this.load(this.shown.length === 0);
  }

  protected async onMessage(message: CurvesViewMessage): Promise<void> {
    switch (message.type) {
      case 'select':
        this.shown = message.uris;
        await this.load(false);
        return;
      case 'openLog':
        await vscode.window.showTextDocument(vscode.Uri.parse(message.uri), { preview: true, viewColumn: vscode.ViewColumn.Beside });
        return;
      case 'rendered':
        this.output.info(`Learning Curves: ${message.runs} runs, ${message.charts} charts, ${message.series} lines, ${message.markers} markers`);
        this.onRendered(message);
        return;
      case 'ready':
        return;
    }
  }

  private loadSoon(): void {
    if (this.timer) return;
    const wait = Math.max(0, this.lastLoad + LIVE_UPDATE_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.load(false);
    }, wait);
  }

  /** Lists the runs and fetches the shown ones; a newer load wins over an older one still running. */
  private async load(pickNewest: boolean, onlyIfChanged = false): Promise<void> {
    const generation = ++this.generation;
    this.lastLoad = Date.now();
    try {
      const available = await this.client.sendRequest(ListRunsRequest);
      if (pickNewest && available.length > 0) this.shown = [available[0].uri];
      const results = await Promise.all(this.shown.map((uri) => this.client.sendRequest(RunCurvesRequest, { uri })));
      if (generation !== this.generation) return;
      const shown: RunCurves[] = [];
      const errors: string[] = [];
      for (const result of results) {
        if ('curves' in result) shown.push(result.curves);
        else errors.push(`${vscode.workspace.asRelativePath(vscode.Uri.parse(result.uri))}: ${result.error}`);
      }
      const previous = this.lastSent?.type === 'runs' ? this.lastSent.shown : [];
      const same = shown.length === previous.length && shown.every((run, i) => run.uri === previous[i].uri && run.modified === previous[i].modified);
      if (onlyIfChanged && same && errors.length === 0) return;
      this.send({ type: 'runs', available, shown, errors, maxShown: MAX_SHOWN_RUNS });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.output.error(`Learning Curves: ${message}`);
      if (generation === this.generation) this.send({ type: 'failed', message });
    }
  }

  private send(message: CurvesHostMessage): void {
    this.lastSent = message;
    this.post(message);
  }
}

/** Opens (or reveals) the panel; keeps what it last drew for the extension's API. */
export class LearningCurves implements vscode.Disposable {
  private panel?: LearningCurvesPanel;
  private readonly changed = new vscode.EventEmitter<string>();
  /** Fired with a log's URI when the server re-read it. */
  readonly onRunChanged = this.changed.event;
  lastRendered?: RenderedCurves;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly client: LanguageClient,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  runChanged(uri: string): void {
    this.changed.fire(uri);
  }

  /** The open panel, if any. */
  get current(): LearningCurvesPanel | undefined {
    return this.panel;
  }

  show(uri?: string): LearningCurvesPanel {
    if (!this.panel) {
      const webview = vscode.window.createWebviewPanel('dlDoctor.learningCurves', 'Learning Curves', vscode.ViewColumn.Active, { retainContextWhenHidden: false });
      webview.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'dl-doctor.svg');
      const panel = new LearningCurvesPanel(webview, this.extensionUri, this.client, this.output, this.onRunChanged, (r) => (this.lastRendered = r));
      webview.onDidDispose(() => {
        if (this.panel === panel) this.panel = undefined;
      });
      this.panel = panel;
    }
    this.panel.show(uri);
    return this.panel;
  }

  dispose(): void {
    this.panel?.dispose();
    this.changed.dispose();
  }
}
