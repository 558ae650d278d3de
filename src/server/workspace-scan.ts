import { URI } from 'vscode-uri';
import { isModelPath } from '../engine/models/model-files';
import { isRunLogCandidate } from '../engine/logs/read-run-log';
import { isPyprojectPath } from '../engine/project-config/project-configs';
import { isPythonPath, pythonFiles } from '../engine/workspace-files';
import type { AnalyzeWorkspaceResult } from '../protocol/requests';
import type { FileChecker } from './checker';
import type { Logger } from './logger';
import { Cancellation, yieldToEventLoop } from './scheduler';
import type { SettingsCache } from './settings-cache';

/** A scan stops listing after this many files per folder, so a giant folder cannot stall the server. */
const MAX_FILES_PER_ROOT = 20_000;
/** Check files in slices of this many milliseconds, then let the message loop serve the editor. */
const SLICE_MS = 20;

export interface ScanProgress {
  report(done: number, total: number): void;
}

/** Checks every Python and model file of the workspace folders, in slices, until done or cancelled. */
export async function scanWorkspace(
  checker: FileChecker,
  settings: SettingsCache,
  logger: Logger,
  cancellation: Cancellation,
  progress: ScanProgress,
): Promise<AnalyzeWorkspaceResult> {
  const started = performance.now();
  const files: string[] = [];
  for (const root of checker.roots) {
    const rootSettings = await settings.get(URI.file(root).toString());
    if (!rootSettings.enable) continue;
    try {
      const accept = (f: string) => isPythonPath(f) || isModelPath(f) || isPyprojectPath(f) || isRunLogCandidate(f);
      for (const file of pythonFiles(root, { exclude: rootSettings.exclude, maxFiles: MAX_FILES_PER_ROOT, accept })) {
        if (!checker.excludedByProject(file)) files.push(file);
      }
    } catch (error) {
      logger.warn(`cannot list ${root}: ${String(error)}`);
    }
  }
  let findings = 0;
  let checked = 0;
  let notConfigs = 0;
  let sliceStart = performance.now();
  for (let i = 0; i < files.length; i++) {
    if (cancellation.cancelled) break;
    try {
      const result = await checker.check(URI.file(files[i]).toString());
      if (result) {
        checked++;
        findings += result.result.findings.length;
      } else if (isPyprojectPath(files[i]) || isRunLogCandidate(files[i])) {
        notConfigs++; // a pyproject.toml without [tool.dl-doctor], a .csv that is not a training log: not DL Doctor's to check, not skipped
      }
    } catch (error) {
      logger.error(`failed to check ${files[i]}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (performance.now() - sliceStart > SLICE_MS) {
      progress.report(i + 1, files.length);
      await yieldToEventLoop();
      sliceStart = performance.now();
    }
  }
  if (!cancellation.cancelled) {
    // Files checked before but not listed now (excluded, disabled, deleted): check() clears or refreshes them.
    const listed = new Set(files.map((f) => URI.file(f).toString()));
    for (const uri of checker.checkedUris()) {
      if (!listed.has(uri)) await checker.check(uri).catch(() => checker.clear(uri));
    }
  }
  progress.report(files.length, files.length);
  const durationMs = Math.round(performance.now() - started);
  logger.info(`workspace scan: ${checked} of ${files.length - notConfigs} files checked in ${durationMs} ms, ${findings} findings${cancellation.cancelled ? ' (cancelled)' : ''}`);
  return { filesChecked: checked, findings, skipped: files.length - checked - notConfigs, durationMs, cancelled: cancellation.cancelled };
}
