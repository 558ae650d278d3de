/**
 * The Learning Curves panel: the LSP requests that list the workspace's training runs and fetch one
 * run's curves from the server, the notification that a log changed, and the messages between the
 * panel's webview and its host. Both sides import these; the host validates what the page sends.
 */
import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import type { LogFormat, MetricSplit } from '../engine/logs/run-history';
import type { Severity } from '../engine/finding';

/** A training run the workspace holds. */
export interface RunSummary {
  /** URI of the log file (or TensorBoard run folder). */
  uri: string;
  /** Human name: the run's folder or file relative to the workspace folder. */
  run: string;
  format: LogFormat;
  /** Last modification of the log, ms since the Unix epoch. */
  modified: number;
}

export interface CurveSeries {
  name: string;
  metric: string;
  split: MetricSplit;
  granularity: 'epoch' | 'step';
  steps: number[];
  /** `null` where the log has NaN or an infinite value (JSON carries neither). */
  values: (number | null)[];
}

/** A point the chart marks: the best validation loss, where its divergence starts, the first NaN. */
export interface CurveMarker {
  kind: 'best' | 'divergence' | 'nan';
  series: string;
  metric: string;
  step: number;
  value: number | null;
  /** "best val_loss 0.4538 at epoch 3". */
  label: string;
}

export interface RunCurves extends RunSummary {
  series: CurveSeries[];
  markers: CurveMarker[];
  findings: { rule: string; severity: Severity; message: string }[];
  /** Series were thinned to at most this many points each for drawing (undefined: all points). */
  thinnedTo?: number;
  warnings: string[];
}

export type RunCurvesResult = { curves: RunCurves } | { uri: string; error: string };

export const ListRunsRequest = new RequestType0<RunSummary[], void>('dlDoctor/listRuns');
export const RunCurvesRequest = new RequestType<{ uri: string }, RunCurvesResult, void>('dlDoctor/runCurves');
/** Server → client: a log was read again (it grew); open panels showing it refresh. */
export const RunChangedNotification = new NotificationType<{ uri: string }>('dlDoctor/runChanged');

/** The command a "Show learning curves" lens runs, with the log's URI. */
export const SHOW_LEARNING_CURVES_COMMAND = 'dlDoctor.showLearningCurves';

/** Host → webview. */
export type CurvesHostMessage =
  /** Every run the workspace holds, which ones are shown, and their curves. */
  | { type: 'runs'; available: RunSummary[]; shown: RunCurves[]; errors: string[]; maxShown: number }
  | { type: 'failed'; message: string };

/** Webview → host. */
export type CurvesViewMessage =
  | { type: 'ready' }
  /** The runs to show (URIs from `available`). */
  | { type: 'select'; uris: string[] }
  /** Open the log file in an editor. */
  | { type: 'openLog'; uri: string }
  /** What the page drew, for the log and the integration tests. */
  | { type: 'rendered'; runs: number; charts: number; series: number; markers: number };

/** At most this many runs overlaid at once: more lines than that cannot be told apart. */
export const MAX_SHOWN_RUNS = 8;

/** Returns the message when it is one the webview may send, undefined otherwise. */
export function parseCurvesViewMessage(value: unknown): CurvesViewMessage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as Record<string, unknown>;
  const isUri = (u: unknown): u is string => typeof u === 'string' && u.length > 0 && u.length < 4096;
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'select':
      return Array.isArray(m.uris) && m.uris.length <= MAX_SHOWN_RUNS && m.uris.every(isUri) ? { type: 'select', uris: [...m.uris] as string[] } : undefined;
    case 'openLog':
      return isUri(m.uri) ? { type: 'openLog', uri: m.uri } : undefined;
    case 'rendered': {
      const numbers = [m.runs, m.charts, m.series, m.markers];
      if (!numbers.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 0)) return undefined;
      const [runs, charts, series, markers] = numbers as number[];
      return { type: 'rendered', runs, charts, series, markers };
    }
    default:
      return undefined;
  }
}
