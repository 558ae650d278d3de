import type { Drawback, Fix, Range, Severity } from '../finding';
import type { PythonFile } from '../python/python-file';

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
}

/** A finding as a rule reports it; the engine adds rule code, drawback, severity and file. */
export interface RuleHit {
  range: Range;
  message: string;
  fixes?: Fix[];
  data?: Record<string, unknown>;
}

export interface PythonRule extends RuleMeta {
  checkPython(file: PythonFile): RuleHit[];
}
