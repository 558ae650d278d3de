import * as fs from 'node:fs';
import { hitSeverity, type RuleConfig } from '../config';
import type { Finding, Range } from '../finding';
import { RUN_RULES } from '../rules';
import { WHOLE_FILE, type RunHit } from '../rules/rule';
import type { RunHistory } from './run-history';

/** Logs above this size are not re-read just to find the line of a finding (it then sits on the file). */
const MAX_LINE_LOOKUP_BYTES = 8 * 1024 * 1024;

export interface RunCheck {
  hits: { rule: (typeof RUN_RULES)[number]; hit: RunHit }[];
  ruleErrors: { rule: string; message: string }[];
}

/** Runs every enabled run rule on a run. */
export function checkRunRules(run: RunHistory, rules: RuleConfig | undefined): RunCheck {
  const out: RunCheck = { hits: [], ruleErrors: [] };
  for (const rule of RUN_RULES) {
    if (!hitSeverity(rule.code, rule.defaultSeverity, undefined, rules)) continue;
    try {
      for (const hit of rule.checkRun(run, rules)) out.hits.push({ rule, hit });
    } catch (error) {
      out.ruleErrors.push({ rule: rule.code, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return out;
}

/** "Run `lightning_logs/version_3` (log modified 2026-12-02 15:10 UTC)": which run a finding is about. */
export function runLabel(run: RunHistory): string {
  let modified = '';
  try {
    modified = ` (log modified ${fs.statSync(run.source).mtime.toISOString().slice(0, 16).replace('T', ' ')} UTC)`;
  } catch {
    // a log deleted since it was read: the name alone
  }
  return `Run \`${run.run}\`${modified}`;
}

/** A finding of a run rule placed on `file` at `range`, its severity from the config. */
export function runFinding(run: RunHistory, check: RunCheck['hits'][number], file: string, range: Range, rules: RuleConfig | undefined, label = runLabel(run)): Finding | undefined {
  const { rule, hit } = check;
  const severity = hitSeverity(rule.code, rule.defaultSeverity, hit.severity, rules);
  if (!severity) return undefined;
  const { at: _at, severity: _own, ...rest } = hit;
  return { rule: rule.code, drawback: rule.drawback, severity, file, ...rest, range, message: `${label}: ${hit.message}`, data: { ...hit.data, run: run.run, log: run.source } };
}

/**
 * The line of a log a finding is about, where the format has one row per evaluation that says which:
 * a Keras CSVLogger row starts with its epoch. Anything else (or an ambiguous match, e.g. a log
 * appended to by two runs) sits on the whole file.
 */
export function logRange(run: RunHistory, hit: RunHit): Range {
  if (run.format !== 'keras-csv' || !hit.at || hit.at.point.epoch === undefined) return WHOLE_FILE;
  let text: string;
  try {
    if (fs.statSync(run.source).size > MAX_LINE_LOOKUP_BYTES) return WHOLE_FILE;
    text = fs.readFileSync(run.source, 'utf8');
  } catch {
    return WHOLE_FILE;
  }
  const lines = text.split(/\r?\n/);
  const epoch = hit.at.point.epoch;
  const matches: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const first = lines[i].split(/[,;\t]/, 1)[0].trim();
    if (first !== '' && Number(first) === epoch) matches.push(i);
  }
  if (matches.length !== 1) return WHOLE_FILE;
  return { start: { line: matches[0], character: 0 }, end: { line: matches[0], character: lines[matches[0]].length } };
}

/** Findings on the log file itself. */
export function logFindings(run: RunHistory, rules: RuleConfig | undefined): { findings: Finding[]; ruleErrors: RunCheck['ruleErrors'] } {
  const check = checkRunRules(run, rules);
  const label = runLabel(run);
  const findings = check.hits.flatMap((h) => runFinding(run, h, run.source, logRange(run, h.hit), rules, label) ?? []);
  return { findings, ruleErrors: check.ruleErrors };
}
