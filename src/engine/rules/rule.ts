import type { RuleConfig } from '../config';
import type { Drawback, Fix, Range, Severity } from '../finding';
import type { ModelReadError, ModelSummary } from '../models/model-summary';
import type { PythonFile } from '../python/python-file';
import type { MetricPoint, RunHistory } from '../logs/run-history';

/** What a rule is, independent of any file: the README table, `explain` and hovers come from here. */
export interface RuleMeta {
  /** Stable kebab-case code, also the rule's file name. */
  code: string;
  drawback: Drawback;
  defaultSeverity: Severity;
  /** One line, sentence case, no trailing period. */
  title: string;
  /** Markdown: why it matters, how to fix it, sources for any threshold. */
  explanation: string;
  /**
   * The numbers a user may tune, read with `threshold(config, 'code.name', default)`. pyproject.toml
   * `[tool.dl-doctor.thresholds]` accepts exactly these names and reports any other.
   */
  thresholds?: readonly ThresholdMeta[];
}

/** One tunable number of a rule: `[tool.dl-doctor.thresholds] code.name = value`. */
export interface ThresholdMeta {
  /** Kebab-case name within the rule, e.g. `min-parameters`. */
  name: string;
  default: number;
  /** Smallest value that makes sense (inclusive). */
  minimum?: number;
  /** One line for config errors and docs. */
  description: string;
}

/** A finding as a rule reports it; the engine adds rule code, drawback, severity and file. */
export interface RuleHit {
  range: Range;
  message: string;
  fixes?: Fix[];
  data?: Record<string, unknown>;
  /**
   * The resolved values behind the message, one markdown line each, shown in the hover above the
   * rule's explanation: "`lr` = 0.5 from the `--lr` default (line 12); usual Adam range 1e-5 … 1e-2".
   */
  evidence?: string[];
  /** A milder (or harsher) severity than the rule's default for this hit; user config still wins. */
  severity?: Severity;
}

export interface PythonRule extends RuleMeta {
  /** `config` carries the user's thresholds (`threshold(config, 'rule.name', default)`). */
  checkPython(file: PythonFile, config?: RuleConfig): RuleHit[];
}

/** A rule on model files (checkpoints, exports); its findings sit on the file as a whole. */
export interface ModelRule extends RuleMeta {
  /** Whether the rule needs weight statistics (the engine streams the weights only for such rules). */
  usesWeights?: boolean;
  /** Called with the summary of a readable file, or the error of an unreadable one. */
  checkModel(model: { summary: ModelSummary } | { error: ModelReadError }, config?: RuleConfig): RuleHit[];
}

/** A finding on a training run; the engine places it on the log (and on the script that wrote it). */
export interface RunHit extends Omit<RuleHit, 'range'> {
  /** The point the finding is about (the best evaluation, the first NaN): its line where the log format has lines. */
  at?: { series: string; point: MetricPoint };
}

/** A rule on a training log (Keras CSV, Lightning metrics.csv, trainer_state.json, TensorBoard). */
export interface RunRule extends RuleMeta {
  checkRun(run: RunHistory, config?: RuleConfig): RunHit[];
}

/** Findings on binary files have no text position: they point at the file's start. */
export const WHOLE_FILE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
