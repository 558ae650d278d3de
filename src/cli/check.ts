import * as fs from 'node:fs';
import * as path from 'node:path';
import { mergeRuleConfig, type RuleConfig } from '../engine/config';
import { Engine, type FileResult } from '../engine/engine';
import { configFindings, isPyprojectPath, ProjectConfigs } from '../engine/project-config/project-configs';
import type { Finding } from '../engine/finding';
import { isModelPath } from '../engine/models/model-files';
import type { ModelSummary } from '../engine/models/model-summary';
import type { ScriptFacts } from '../engine/python/models/script-facts';
import { DiskReader, isUnreadable } from '../engine/source-files';
import { isPythonPath, pythonFiles } from '../engine/workspace-files';
import { collectRunLogs, type RunFacts } from './run-logs';

export interface CheckReport {
  /** Folder paths in the output are relative to. */
  cwd: string;
  filesChecked: number;
  findings: Finding[];
  /** Files that could not be analysed, with why. */
  skipped: { file: string; reason: string }[];
  ruleErrors: { file: string; rule: string; message: string }[];
  /** Model files read, with what they hold. */
  models: ModelSummary[];
  /** Training logs found, with their series. */
  runs: RunFacts[];
  /** Per Python script: the models it builds and the data it trains on, where they resolve. */
  scripts: { file: string; facts: ScriptFacts }[];
}

/** A PATH that does not exist or cannot be read: exit code 2. */
export class InputError extends Error {}

export async function runCheck(engine: Engine, paths: readonly string[], options: { select: string[]; ignore: string[]; exclude: string[] }): Promise<CheckReport> {
  const cwd = process.cwd();
  const reader = new DiskReader(engine.limits.maxFileBytes);
  const report: CheckReport = { cwd, filesChecked: 0, findings: [], skipped: [], ruleErrors: [], models: [], runs: [], scripts: [] };
  const seen = new Set<string>();
  // Each file's nearest pyproject.toml [tool.dl-doctor], with --select and --ignore on top.
  const projects = new ProjectConfigs();
  const flags: RuleConfig = { select: options.select, ignore: options.ignore };
  for (const given of paths) {
    const start = path.resolve(given);
    if (!fs.existsSync(start)) throw new InputError(`${given}: no such file or directory`);
    const root = fs.statSync(start).isDirectory() ? start : path.dirname(start);
    for (const file of pythonFiles(start, { exclude: options.exclude, accept: (f) => isPythonPath(f) || isModelPath(f) || isPyprojectPath(f) })) {
      if (seen.has(file)) continue;
      seen.add(file);
      if (isPyprojectPath(file)) {
        projects.load(file); // its problems are reported with the others' below
        continue;
      }
      const project = projects.forFile(file);
      if (project && projects.isExcluded(project, file)) continue;
      const rules = mergeRuleConfig(project?.rules, flags);
      if (isModelPath(file)) {
        const result = await engine.checkModelFile(file, rules);
        if (!result) continue;
        report.filesChecked++;
        report.findings.push(...result.findings);
        if (result.model) report.models.push(result.model);
        continue;
      }
      const text = reader.readWithReason(file);
      if (isUnreadable(text)) {
        report.skipped.push({ file, reason: text.reason });
        continue;
      }
      const result: FileResult = await engine.checkPython(file, text, { roots: [root], reader, rules });
      report.filesChecked++;
      report.findings.push(...result.findings);
      for (const error of result.ruleErrors) report.ruleErrors.push({ file, ...error });
      if (result.facts) report.scripts.push({ file, facts: result.facts });
    }
  }
  const logs = await collectRunLogs(paths, options.exclude);
  report.runs.push(...logs.runs);
  report.skipped.push(...logs.skipped);
  // The run rules on every log found (named relative to the checked folder, like the facts above).
  const roots = paths.map((p) => path.resolve(p)).map((p) => (fs.statSync(p).isDirectory() ? p : path.dirname(p)));
  for (const run of logs.runs) {
    const project = projects.forFile(run.file);
    if (project && projects.isExcluded(project, run.file)) continue;
    const root = roots.find((r) => run.file === r || run.file.startsWith(r + path.sep));
    const result = await engine.checkRunLog(run.file, mergeRuleConfig(project?.rules, flags), root);
    if (!result) continue;
    report.findings.push(...result.findings);
    for (const error of result.ruleErrors) report.ruleErrors.push({ file: run.file, ...error });
  }
  for (const config of projects.loaded()) report.findings.push(...configFindings(config, mergeRuleConfig(config.rules, flags)));
  // Stable output whatever order the file system lists folders in.
  report.scripts.sort((a, b) => a.file.localeCompare(b.file));
  report.findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character));
  return report;
}
