/**
 * What every part of DL Doctor exchanges: a finding on a file. Positions are zero-based, columns in
 * UTF-16 code units — the unit LSP and VS Code use, and the one tree-sitter reports for JS strings.
 */

export const DRAWBACKS = [
  'cost',
  'data',
  'overfitting',
  'hyperparameters',
  'reproducibility',
  'interpretability',
  'bias',
  'security',
  // Not a drawback of the model: findings about DL Doctor's own configuration and suppression comments.
  'configuration',
] as const;
export type Drawback = (typeof DRAWBACKS)[number];

/** Human titles for the drawback categories, in the order the sidebar and reports show them. */
export const DRAWBACK_TITLES: Record<Drawback, string> = {
  cost: 'Computational cost',
  data: 'Data hunger',
  overfitting: 'Overfitting',
  hyperparameters: 'Hyperparameter sensitivity',
  reproducibility: 'Reproducibility',
  interpretability: 'Interpretability',
  bias: 'Bias and fairness',
  security: 'Security',
  configuration: 'DL Doctor configuration',
};

export const SEVERITIES = ['error', 'warning', 'info', 'hint'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Lower rank = more severe; used by --fail-on and sorting. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface TextEdit {
  range: Range;
  newText: string;
}

/** A machine-applicable fix; every edit applies to the finding's own file. */
export interface Fix {
  title: string;
  edits: TextEdit[];
  isPreferred?: boolean;
}

export interface Finding {
  rule: string;
  drawback: Drawback;
  severity: Severity;
  /** Absolute path of the file the finding is on. */
  file: string;
  range: Range;
  message: string;
  fixes?: Fix[];
  /**
   * Quick fixes that silence this finding with a suppression comment ("Ignore unset-seed on this
   * line", "… in this file"): offered in the editor, left out of the CLI's list of fixes.
   */
  ignoreFixes?: Fix[];
  /** The resolved values behind the message, one markdown line each (see RuleHit.evidence). */
  evidence?: string[];
  /** Rule-specific facts (resolved values, frameworks) for hovers, JSON output and tests. */
  data?: Record<string, unknown>;
}
