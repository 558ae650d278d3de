/**
 * Custom messages between the extension and the language server, one typed constant each. Both
 * sides import these, so a renamed method or a changed payload fails the type check, not a user.
 */
import { NotificationType, RequestType0 } from 'vscode-languageserver-protocol';
import type { Drawback, Severity } from '../engine/finding';

/** A rule as the editor shows it (quick pick, explanation page, sidebar grouping). */
export interface RuleInfo {
  code: string;
  drawback: Drawback;
  defaultSeverity: Severity;
  title: string;
  /** Markdown. */
  explanation: string;
}

export interface AnalyzeWorkspaceResult {
  filesChecked: number;
  findings: number;
  skipped: number;
  durationMs: number;
  /** True when a newer scan or shutdown cut this one short. */
  cancelled: boolean;
}

export interface ServerStatus {
  state: 'starting' | 'scanning' | 'idle';
  /** Files checked so far in the current scan, and how many it will check. */
  done?: number;
  total?: number;
  /** Duration of the last single-file check, for the status tooltip. */
  lastCheckMs?: number;
}

/** The command a model code lens runs: opens the Model Report of the file URI it is given. */
export const OPEN_MODEL_REPORT_COMMAND = 'dlDoctor.openModelReport';

export const ListRulesRequest = new RequestType0<RuleInfo[], void>('dlDoctor/listRules');
export const AnalyzeWorkspaceRequest = new RequestType0<AnalyzeWorkspaceResult, void>('dlDoctor/analyzeWorkspace');
export const StatusNotification = new NotificationType<ServerStatus>('dlDoctor/status');

/** The `source` of every diagnostic DL Doctor publishes. */
export const DIAGNOSTIC_SOURCE = 'dl-doctor';

/** URI scheme of the read-only rule explanation documents the extension serves. */
export const RULE_DOC_SCHEME = 'dl-doctor-rule';

/** The `codeDescription.href` of a rule: the extension opens it as rendered markdown. */
export function ruleDocUri(code: string): string {
  return `${RULE_DOC_SCHEME}:/${code}.md`;
}
