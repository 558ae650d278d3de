import { trainingMemory, type TrainingMemory } from '../../cost/training-memory';
import type { FileResult } from '../../engine';
import type { Drawback, Severity } from '../../finding';
import { findRule } from '../../rules';
import type { ModelSummary, TensorInfo } from '../model-summary';
import { BUFFER_SUFFIXES } from '../pytorch/storage-types';
import { moduleTree, type ModuleNode } from './module-tree';

/**
 * What a tensor is for: weights and biases (floating-point or quantized), statistics that are updated
 * but not trained (BatchNorm running mean/variance, Keras moving mean/variance), or integer, boolean and
 * string tensors (ids, masks, counters such as `num_batches_tracked`).
 */
export type TensorRole = 'parameter' | 'statistic' | 'integer';

const INTEGER_DTYPES = /^(u?int\d*|bool|string)$/;

/** Keras names BatchNorm statistics `moving_mean` / `moving_variance` (`.../moving_mean:0` in TF 2). */
const KERAS_STATISTICS = /(^|[./])moving_(mean|variance)(:\d+)?$/;

export function tensorRole(tensor: TensorInfo): TensorRole {
  if (INTEGER_DTYPES.test(tensor.dtype)) return 'integer';
  const last = tensor.name.split(/[./]/).pop() ?? '';
  if (BUFFER_SUFFIXES.includes(last) || KERAS_STATISTICS.test(tensor.name)) return 'statistic';
  return 'parameter';
}

/** A finding as the report shows it: the rule's title beside the message, explanation one click away. */
export interface ReportFinding {
  rule: string;
  title: string;
  drawback: Drawback;
  severity: Severity;
  message: string;
}

/** Everything the Model Report shows for a readable file. */
export interface ModelReport {
  summary: ModelSummary;
  /** Tensors grouped into modules by name. */
  tree: ModuleNode;
  /** One role per tensor, in the order of `summary.tensors`. */
  roles: TensorRole[];
  /** Floating-point elements by role: trained ones and statistics that are updated but not trained. */
  trainable: number;
  statistics: number;
  /** fp32 training memory for the model's parameters (weights, gradients, optimizer state). */
  trainingMemory: TrainingMemory;
  findings: ReportFinding[];
}

/** What the report shows for a file that could not be read: the error, and the findings it led to. */
export interface UnreadableModelReport {
  error: string;
  findings: ReportFinding[];
}

export type ModelReportResult = { file: string } & ({ report: ModelReport } | UnreadableModelReport);

/** Builds the report from the engine's result for a model file (summary, weight statistics, findings). */
export function modelReport(result: FileResult): ModelReportResult {
  const findings = result.findings.map(({ rule, drawback, severity, message }) => ({ rule, title: findRule(rule)?.title ?? rule, drawback, severity, message }));
  const summary = result.model;
  if (!summary) {
    return { file: result.file, error: result.modelError ?? 'not a model file DL Doctor reads', findings };
  }
  const roles = summary.tensors.map(tensorRole);
  let trainable = 0;
  let statistics = 0;
  summary.tensors.forEach((t, i) => {
    if (roles[i] === 'parameter') trainable += t.numel;
    else if (roles[i] === 'statistic') statistics += t.numel;
  });
  return {
    file: result.file,
    report: { summary, tree: moduleTree(summary.tensors, roles), roles, trainable, statistics, trainingMemory: trainingMemory(summary.parameters), findings },
  };
}
