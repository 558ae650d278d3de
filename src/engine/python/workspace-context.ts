import type { PythonParser } from './parser';
import type { SourceReader } from './module-resolver';

/** What analysing one file may consult beyond its own text: other workspace modules. */
export interface WorkspaceContext {
  /** Workspace folders (absolute); imports resolve against them. */
  roots: readonly string[];
  reader: SourceReader;
  parser: PythonParser;
  /** Memo shared across files for per-module facts (e.g. which helpers seed what). */
  memo: Map<string, unknown>;
}
