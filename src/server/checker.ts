import * as path from 'node:path';
import type { Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import type { Engine, FileResult } from '../engine/engine';
import type { SourceReader } from '../engine/python/module-resolver';
import { DiskReader, isUnreadable } from '../engine/source-files';
import { isModelPath } from '../engine/models/model-files';
import { isRunLogCandidate } from '../engine/logs/read-run-log';
import { excludeMatcher, isPythonPath } from '../engine/workspace-files';
import { toDiagnostic } from './diagnostics';
import type { Logger } from './logger';
import type { SettingsCache } from './settings-cache';
import { ruleConfig } from './settings';
import { mergeRuleConfig, type RuleConfig } from '../engine/config';
import { isPyprojectPath, MAX_PYPROJECT_BYTES, ProjectConfigs } from '../engine/project-config/project-configs';

export interface CheckedFile {
  /** Document version the result is for; undefined when it came from disk. */
  version: number | undefined;
  result: FileResult;
}

/**
 * Checks one file at a time and publishes its diagnostics. Text comes from the open editor when
 * there is one, from disk otherwise; the latest result per file is kept for hovers and quick fixes,
 * and which files import which, so a change to a helper re-checks the scripts that use it.
 */
export class FileChecker {
  private readonly results = new Map<string, CheckedFile>();
  private readonly dependents = new Map<string, Set<string>>();
  private readonly excludeMatchers = new Map<string, (file: string) => boolean>();
  private readonly projects = new ProjectConfigs();
  roots: string[] = [];
  /** Duration of the most recent check, shown in the status tooltip. */
  lastCheckMs = 0;

  constructor(
    private readonly engine: Engine,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly connection: Connection,
    private readonly settings: SettingsCache,
    private readonly logger: Logger,
  ) {}

  /** Re-checks a file and publishes the outcome; returns undefined when it is not checked. */
  async check(uri: string): Promise<CheckedFile | undefined> {
    const file = fsPath(uri);
    if (!file || !(isPythonPath(file) || isModelPath(file) || isPyprojectPath(file) || isRunLogCandidate(file))) return undefined;
    const root = this.rootOf(file);
    const settings = await this.settings.get(root ? URI.file(root).toString() : undefined);
    if (!settings.enable || (root && this.excluded(root, settings.exclude)(file)) || this.excludedByProject(file)) {
      this.clear(uri);
      return undefined;
    }
    if (isPyprojectPath(file)) return this.checkProjectConfig(uri, file, ruleConfig(settings));
    // pyproject.toml's [tool.dl-doctor] first, the user's VS Code settings on top.
    const rules = mergeRuleConfig(this.projects.forFile(file, root)?.rules, ruleConfig(settings));
    if (isModelPath(file)) return this.checkModel(uri, file, rules);
    if (!isPythonPath(file)) return this.checkRunLog(uri, file, rules, root);
    const maxBytes = settings.maxFileSizeMB * 1024 * 1024;
    const reader = this.readerFor(maxBytes);
    const document = this.documents.get(uri);
    const text = document ? document.getText() : new DiskReader(maxBytes).readWithReason(file);
    if (typeof text !== 'string' || Buffer.byteLength(text, 'utf8') > maxBytes) {
      const reason = typeof text === 'string' ? `document is too large (dlDoctor.maxFileSizeMB = ${settings.maxFileSizeMB})` : text.reason;
      this.logger.info(`skipped ${file}: ${reason}`);
      this.clear(uri);
      return undefined;
    }
    const started = performance.now();
    const result = await this.engine.checkPython(file, text, {
      roots: root ? [root] : [path.dirname(file)],
      reader,
      rules,
    });
    for (const error of result.ruleErrors) this.logger.error(`rule ${error.rule} failed on ${file}: ${error.message}`);
    const checked: CheckedFile = { version: document?.version, result };
    this.results.set(uri, checked);
    this.track(uri, result.dependencies);
    void this.connection.sendDiagnostics({ uri, version: document?.version, diagnostics: result.findings.map(toDiagnostic) });
    this.lastCheckMs = performance.now() - started;
    return checked;
  }

  /** Model files are binary: their findings show in the Problems panel and the sidebar, on the file. */
  private async checkModel(uri: string, file: string, rules: RuleConfig): Promise<CheckedFile | undefined> {
    const result = await this.engine.checkModelFile(file, rules);
    if (!result) {
      this.clear(uri);
      return undefined;
    }
    const checked: CheckedFile = { version: undefined, result };
    this.results.set(uri, checked);
    void this.connection.sendDiagnostics({ uri, diagnostics: result.findings.map(toDiagnostic) });
    return checked;
  }

  /** A training log: the run rules' findings on it (undefined for a .csv or .json that is not a log). */
  private async checkRunLog(uri: string, file: string, rules: RuleConfig, root: string | undefined): Promise<CheckedFile | undefined> {
    const result = await this.engine.checkRunLog(file, rules, root);
    if (!result) {
      this.clear(uri);
      return undefined;
    }
    for (const error of result.ruleErrors) this.logger.error(`rule ${error.rule} failed on ${file}: ${error.message}`);
    const checked: CheckedFile = { version: undefined, result };
    this.results.set(uri, checked);
    void this.connection.sendDiagnostics({ uri, diagnostics: result.findings.map(toDiagnostic) });
    return checked;
  }

  /** A pyproject.toml: its [tool.dl-doctor] problems, from the open editor's text or the disk. */
  private checkProjectConfig(uri: string, file: string, rules: RuleConfig): CheckedFile | undefined {
    const document = this.documents.get(uri);
    const text = document ? document.getText() : new DiskReader(MAX_PYPROJECT_BYTES).readWithReason(file);
    const result = typeof text === 'string' ? this.engine.checkProjectConfig(file, text, rules) : undefined;
    if (!result) {
      this.clear(uri);
      return undefined;
    }
    const checked: CheckedFile = { version: document?.version, result };
    this.results.set(uri, checked);
    void this.connection.sendDiagnostics({ uri, version: document?.version, diagnostics: result.findings.map(toDiagnostic) });
    return checked;
  }

  /** Whether the `exclude` of the file's pyproject.toml leaves it out. */
  excludedByProject(file: string): boolean {
    const project = this.projects.forFile(file, this.rootOf(file));
    return !!project && this.projects.isExcluded(project, file);
  }

  /** A pyproject.toml changed on disk: read every configuration again. */
  reloadProjectConfigs(): void {
    this.projects.clear();
  }

  /** The latest result for a file, if it is current for the open document's version. */
  current(uri: string): CheckedFile | undefined {
    const checked = this.results.get(uri);
    const document = this.documents.get(uri);
    if (!checked || (document && document.version !== checked.version)) return undefined;
    return checked;
  }

  clear(uri: string): void {
    this.results.delete(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
    this.track(uri, []);
  }

  /** Drops memoised facts about a deleted file. */
  forget(uri: string): void {
    const file = fsPath(uri);
    if (file) this.engine.forget(file);
  }

  /** Files whose findings depend on this one (they import a helper from it). */
  dependentsOf(file: string): string[] {
    return [...(this.dependents.get(file) ?? [])];
  }

  /** Every file that currently has a result. */
  checkedUris(): string[] {
    return [...this.results.keys()];
  }

  totalFindings(): number {
    let total = 0;
    for (const { result } of this.results.values()) total += result.findings.length;
    return total;
  }

  rootOf(file: string): string | undefined {
    return this.roots
      .filter((root) => {
        const rel = path.relative(root, file);
        return !rel.startsWith('..') && !path.isAbsolute(rel);
      })
      .sort((a, b) => b.length - a.length)[0];
  }

  /** Compiled exclude globs per folder, rebuilt only when the globs change. */
  private excluded(root: string, globs: string[]): (file: string) => boolean {
    const key = `${root}\0${globs.join('\0')}`;
    let matcher = this.excludeMatchers.get(key);
    if (!matcher) this.excludeMatchers.set(key, (matcher = excludeMatcher(root, globs)));
    return matcher;
  }

  private readerFor(maxBytes: number): SourceReader {
    const disk = new DiskReader(maxBytes);
    return {
      read: (file) => {
        const open = this.documents.get(URI.file(file).toString());
        if (open) return open.getText();
        const text = disk.readWithReason(file);
        return isUnreadable(text) ? undefined : text;
      },
    };
  }

  private track(uri: string, dependencies: string[]): void {
    for (const set of this.dependents.values()) set.delete(uri);
    for (const dependency of dependencies) {
      let set = this.dependents.get(dependency);
      if (!set) this.dependents.set(dependency, (set = new Set()));
      set.add(uri);
    }
  }
}

export function fsPath(uri: string): string | undefined {
  const parsed = URI.parse(uri);
  return parsed.scheme === 'file' ? parsed.fsPath : undefined;
}
