import * as path from 'node:path';
import {
  CancellationToken,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  LSPErrorCodes,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Engine } from '../engine/engine';
import { MODEL_EXTENSIONS } from '../engine/models/model-files';
import { isPyprojectPath, PYPROJECT } from '../engine/project-config/project-configs';
import { ALL_RULES } from '../engine/rules';
import { analyzeLayers } from '../engine/tf/analyze-layers';
import type { LayerAnalysisResult } from '../engine/tf/layer-analysis-types';
import { ModelLayersRequest } from '../protocol/model-layers';
import { AnalyzeWorkspaceRequest, ListRulesRequest, StatusNotification, type AnalyzeWorkspaceResult, type ServerStatus } from '../protocol/requests';
import { URI } from 'vscode-uri';
import { modelReport } from '../engine/models/report/model-report';
import { ModelReportRequest } from '../protocol/model-report';
import { costLens, modelLens } from './code-lens';
import { FileChecker, fsPath } from './checker';
import { codeActions } from './code-actions';
import { hover } from './hover';
import { Logger } from './logger';
import { Cancellation, Debouncer } from './scheduler';
import { SettingsCache } from './settings-cache';
import { scanWorkspace } from './workspace-scan';
import { isRunLogCandidate } from '../engine/logs/read-run-log';
import { ListRunsRequest, RunChangedNotification, RunCurvesRequest, SHOW_LEARNING_CURVES_COMMAND } from '../protocol/learning-curves';
import { listRuns, runCurves } from './learning-curves';
import { Throttle } from './scheduler';

/** A growing training log is read again at most this often (the panel's live updates: ≤ 2 per second). */
const LOG_REREAD_MS = 500;
/** Files whose changes may be training logs (isRunLogCandidate decides). */
const LOG_GLOBS = ['**/*.{csv,tsv,log}', '**/trainer_state.json', '**/*history*.json', '**/events.out.tfevents.*'];

/** Typing pauses shorter than this do not trigger a check. */
const DEBOUNCE_MS = 150;
/** A per-layer analysis still running after this is ended (TensorFlow.js building a very large model). */
const LAYER_ANALYSIS_TIMEOUT_MS = 60_000;

/** The DL Doctor language server: wires LSP events to the checker and the workspace scan. */
export class DlDoctorServer {
  private readonly documents = new TextDocuments(TextDocument);
  private readonly logger: Logger;
  private readonly debouncer = new Debouncer(DEBOUNCE_MS);
  private readonly logThrottle = new Throttle(LOG_REREAD_MS);
  private settings!: SettingsCache;
  private checker?: FileChecker;
  private engine?: Engine;
  private ready!: Promise<FileChecker>;
  private roots: string[] = [];
  private scan?: Cancellation;
  private watchFilesDynamically = false;
  private supportsConfiguration = false;

  constructor(private readonly connection: Connection) {
    this.logger = new Logger(connection);
  }

  listen(): void {
    const { connection } = this;
    connection.onInitialize((params) => this.initialize(params));
    connection.onInitialized(() => void this.initialized());
    this.documents.onDidOpen((e) => this.schedule(e.document.uri, 0));
    this.documents.onDidChangeContent((e) => this.schedule(e.document.uri));
    this.documents.onDidClose((e) => this.closed(e.document.uri));
    connection.onDidChangeWatchedFiles((params) => {
      // A project configuration changed: every file under it may now be checked differently.
      if (params.changes.some((change) => isPyprojectPath(fsPath(change.uri) ?? ''))) {
        this.checker?.reloadProjectConfigs();
        void this.analyzeWorkspace();
      }
      for (const change of params.changes) {
        if (isPyprojectPath(fsPath(change.uri) ?? '')) continue;
        if (isRunLogCandidate(fsPath(change.uri) ?? '') && change.type !== FileChangeType.Deleted) {
          this.logChanged(change.uri);
          continue;
        }
        if (change.type === FileChangeType.Deleted) this.fileDeleted(change.uri);
        else if (!this.documents.get(change.uri)) this.schedule(change.uri, 0);
        this.scheduleDependents(change.uri);
      }
    });
    connection.onDidChangeConfiguration(() => {
      this.settings.clear();
      void this.analyzeWorkspace();
    });
    connection.onCodeAction(async (params) => codeActions(params, await this.currentResult(params.textDocument.uri)));
    connection.onHover(async (params) => {
      const checked = await this.currentResult(params.textDocument.uri);
      return hover(checked, params.position, (await this.settingsFor(params.textDocument.uri)).cost);
    });
    connection.onRequest(ListRulesRequest, () =>
      ALL_RULES.map(({ code, drawback, defaultSeverity, title, explanation }) => ({ code, drawback, defaultSeverity, title, explanation })),
    );
    connection.onRequest(AnalyzeWorkspaceRequest, () => this.analyzeWorkspace());
    connection.onCodeLens(async (params) => this.codeLenses(params.textDocument.uri));
    connection.onRequest(ModelReportRequest, async ({ uri }) => {
      const checker = await this.ready;
      const checked = checker.current(uri) ?? (await checker.check(uri));
      if (!checked) return { file: fsPath(uri) ?? uri, error: 'DL Doctor does not read this file: it is not a model format DL Doctor knows, or the dlDoctor.enable or dlDoctor.exclude settings leave it out', findings: [] };
      return modelReport(checked.result);
    });
    connection.onRequest(ListRunsRequest, () => listRuns(this.roots));
    connection.onRequest(RunCurvesRequest, async ({ uri }) => {
      const checker = await this.ready;
      // Checked again every time: a log re-read only if it changed on disk, whether or not a watcher event came.
      const before = checker.current(uri)?.result.run;
      const checked = await checker.check(uri);
      // The log changed without a watcher event (they can be late or missed): its scripts follow it too.
      if (checked?.result.run && checked.result.run !== before) this.scheduleLogDependents(uri);
      const curves = checked && runCurves(uri, checked.result);
      return curves ? { curves } : { uri, error: 'DL Doctor cannot read this file as a training log (Keras CSVLogger, Lightning metrics.csv, trainer_state.json, Keras History JSON, TensorBoard events), or dlDoctor.exclude leaves it out' };
    });
    connection.onRequest(ModelLayersRequest, ({ uri }, token) => this.modelLayers(uri, token));
    connection.onShutdown(() => {
      if (this.scan) this.scan.cancelled = true;
      this.debouncer.dispose();
      this.logThrottle.dispose();
    });
    this.documents.listen(connection);
    connection.listen();
  }

  private initialize(params: InitializeParams): InitializeResult {
    const capabilities = params.capabilities;
    this.supportsConfiguration = !!capabilities.workspace?.configuration;
    this.watchFilesDynamically = !!capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    this.settings = new SettingsCache(this.connection, this.logger, this.supportsConfiguration);
    const folders = params.workspaceFolders?.map((f) => fsPath(f.uri)) ?? [params.rootUri ? fsPath(params.rootUri) : undefined];
    this.roots = folders.filter((f): f is string => !!f).map((f) => path.resolve(f));
    // The engine loads its wasm parser while the client finishes its handshake.
    this.ready = Engine.create({ wasmDir: __dirname }).then((engine) => {
      this.engine = engine;
      const checker = new FileChecker(engine, this.documents, this.connection, this.settings, this.logger);
      checker.roots = this.roots;
      this.checker = checker;
      return checker;
    });
    this.ready.catch((error: unknown) => this.logger.error(`DL Doctor could not start its Python parser: ${String(error)}`));
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        codeActionProvider: { codeActionKinds: ['quickfix'] },
        hoverProvider: true,
        codeLensProvider: { resolveProvider: false },
        workspace: { workspaceFolders: { supported: true } },
      },
      serverInfo: { name: 'DL Doctor', version: typeof DL_DOCTOR_VERSION === 'string' ? DL_DOCTOR_VERSION : undefined },
    };
  }

  private async initialized(): Promise<void> {
    if (this.supportsConfiguration) {
      void this.connection.client.register(DidChangeConfigurationNotification.type, { section: 'dlDoctor' });
    }
    if (this.watchFilesDynamically) {
      void this.connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: '**/*.{py,pyw}' }, { globPattern: `**/*{${MODEL_EXTENSIONS.join(',')}}` }, { globPattern: '**/model.json' }, { globPattern: `**/${PYPROJECT}` }, ...LOG_GLOBS.map((globPattern) => ({ globPattern }))],
      });
    }
    this.status({ state: 'starting' });
    await this.ready;
    this.logger.info(`DL Doctor server ready; workspace folders: ${this.roots.join(', ') || '(none)'}`);
    await this.analyzeWorkspace();
  }

  private async analyzeWorkspace(): Promise<AnalyzeWorkspaceResult> {
    const checker = await this.ready;
    if (this.scan) this.scan.cancelled = true;
    const cancellation = (this.scan = new Cancellation());
    const progress = await this.connection.window.createWorkDoneProgress().catch(() => undefined);
    progress?.begin('DL Doctor: analysing workspace', 0, undefined, true);
    progress?.token.onCancellationRequested(() => (cancellation.cancelled = true));
    try {
      const result = await scanWorkspace(checker, this.settings, this.logger, cancellation, {
        report: (done, total) => {
          progress?.report(total ? Math.round((100 * done) / total) : 100, `${done}/${total} files`);
          this.status({ state: 'scanning', done, total });
        },
      });
      return result;
    } finally {
      progress?.done();
      if (this.scan === cancellation) {
        this.scan = undefined;
        this.status({ state: 'idle', lastCheckMs: checker.lastCheckMs });
      }
    }
  }

  private schedule(uri: string, delayMs?: number): void {
    this.debouncer.schedule(uri, () => void this.checkNow(uri), delayMs);
  }

  private async checkNow(uri: string): Promise<void> {
    const checker = await this.ready;
    try {
      await checker.check(uri);
    } catch (error) {
      this.logger.error(`failed to check ${uri}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }

  /** The result for the open document's current version, checking now if the last one is stale. */
  private async currentResult(uri: string) {
    const checker = await this.ready;
    const current = checker.current(uri);
    if (current) return current;
    this.debouncer.cancel(uri);
    return checker.check(uri);
  }

  /** Per-layer shapes and MACs, computed by TensorFlow.js in a worker thread that cancelling the request ends. */
  private async modelLayers(uri: string, token: CancellationToken): Promise<LayerAnalysisResult> {
    const file = fsPath(uri);
    if (!file) return { ok: false, error: { file: uri, kind: 'unreadable', message: 'only files on disk can be analysed' } };
    const controller = new AbortController();
    const subscription = token.onCancellationRequested(() => controller.abort());
    try {
      const result = await analyzeLayers(file, { timeoutMs: LAYER_ANALYSIS_TIMEOUT_MS, signal: controller.signal });
      if (!result.ok && result.error.kind === 'cancelled') throw new ResponseError(LSPErrorCodes.RequestCancelled, result.error.message);
      if (!result.ok) this.logger.info(`layer analysis of ${file}: ${result.error.message}`);
      return result;
    } finally {
      subscription.dispose();
    }
  }

  /** A lens on each line that loads a workspace model file, with what that file holds. */
  private async codeLenses(uri: string) {
    const checker = await this.ready;
    const document = this.documents.get(uri);
    const file = fsPath(uri);
    if (!document || !file) return [];
    const root = checker.rootOf(file);
    const references = await this.engine!.modelReferences(file, document.getText(), { roots: root ? [root] : [path.dirname(file)] });
    const lenses = [];
    for (const reference of references) {
      const checked = [];
      for (const shard of reference.shards ?? [reference.file]) {
        const modelUri = URI.file(shard).toString();
        checked.push(checker.current(modelUri) ?? (await checker.check(modelUri)));
      }
      lenses.push(modelLens(reference.range, reference.file, checked));
    }
    // The models the script builds, from the check's facts (computed with the findings).
    const facts = (await this.currentResult(uri))?.result.facts;
    if (facts?.models.length) {
      const { cost } = await this.settingsFor(uri);
      for (const model of facts.models) lenses.push(costLens(model, facts, cost));
    }
    for (const reference of await this.engine!.runLogReferences(file, document.getText(), { roots: root ? [root] : [path.dirname(file)] })) {
      lenses.push({ range: reference.range, command: { title: `DL Doctor: Show learning curves (${reference.run})`, command: SHOW_LEARNING_CURVES_COMMAND, arguments: [URI.file(reference.log).toString()] } });
    }
    return lenses;
  }

  private async settingsFor(uri: string) {
    const file = fsPath(uri);
    const root = file ? this.checker?.rootOf(file) : undefined;
    return this.settings.get(root ? URI.file(root).toString() : undefined);
  }

  /** A closed workspace file goes back to its on-disk text; a file from elsewhere loses its diagnostics. */
  private closed(uri: string): void {
    const file = fsPath(uri);
    if (file && this.checker?.rootOf(file)) this.schedule(uri, 0);
    else {
      this.debouncer.cancel(uri);
      this.checker?.clear(uri);
    }
  }

  /**
   * A training log changed (it grows while training runs): read it again at most twice a second, tell
   * open Learning Curves panels, and re-check the scripts that wrote it (their findings come from it;
   * a script linked to a folder such as lightning_logs depends on the folder).
   */
  private logChanged(uri: string): void {
    this.logThrottle.schedule(uri, () => {
      void this.checkNow(uri).then(() => this.connection.sendNotification(RunChangedNotification, { uri }));
      this.scheduleLogDependents(uri);
    });
  }

  /** Re-checks the scripts linked to a log, or to a folder holding it (a TensorBoard or Lightning run). */
  private scheduleLogDependents(uri: string): void {
    const file = fsPath(uri);
    if (!file || !this.checker) return;
    const root = this.checker.rootOf(file);
    for (let dir = file; root && dir.startsWith(root) && dir !== path.dirname(dir); dir = path.dirname(dir)) {
      for (const dependent of this.checker.dependentsOf(dir)) this.schedule(dependent);
    }
  }

  private scheduleDependents(uri: string): void {
    const file = fsPath(uri);
    if (!file || !this.checker) return;
    for (const dependent of this.checker.dependentsOf(file)) this.schedule(dependent);
  }

  private fileDeleted(uri: string): void {
    this.debouncer.cancel(uri);
    this.checker?.clear(uri);
    this.checker?.forget(uri);
    // A deleted folder arrives as one event: clear everything that was under it.
    const folder = fsPath(uri);
    if (!folder || !this.checker) return;
    for (const checked of this.checker.checkedUris()) {
      if (fsPath(checked)?.startsWith(folder + path.sep)) this.checker.clear(checked);
    }
  }

  private status(status: ServerStatus): void {
    void this.connection.sendNotification(StatusNotification, status);
  }
}

declare const DL_DOCTOR_VERSION: string | undefined;
