/**
 * The Model Report: the LSP request that fetches a model file's report from the server, and the
 * messages between the report's webview and its host. Both sides import these types; the host
 * validates every message the webview sends before acting on it.
 */
import { RequestType } from 'vscode-languageserver-protocol';
import type { ModelReportResult } from '../engine/models/report/model-report';
import type { LayerAnalysisResult } from '../engine/tf/layer-analysis-types';

export type { ModelReport, ModelReportResult, ReportFinding, TensorRole } from '../engine/models/report/model-report';
export type { ModuleNode } from '../engine/models/report/module-tree';

export const ModelReportRequest = new RequestType<{ uri: string }, ModelReportResult, void>('dlDoctor/modelReport');

/** The custom editor's view type (package.json `contributes.customEditors`). */
export const MODEL_REPORT_VIEW_TYPE = 'dlDoctor.modelReport';

/** Host → webview. */
export type ReportHostMessage =
  /** The file is being read (large checkpoints take a moment); `name` is workspace-relative. */
  | { type: 'loading'; name: string }
  | { type: 'report'; name: string; result: ModelReportResult }
  /** The request failed (server down, file vanished): shown in place of the report. */
  | { type: 'failed'; name: string; message: string }
  /** TensorFlow.js is building the model (Keras and TF.js Layers files) for per-layer shapes and MACs. */
  | { type: 'layersRunning' }
  | { type: 'layers'; result: LayerAnalysisResult };

/** Webview → host. */
export type ReportViewMessage =
  /** The webview's script runs and listens: the host sends nothing before this. */
  | { type: 'ready' }
  /** What the webview rendered (again after the layer analysis arrives), for the log and the integration tests. */
  | { type: 'rendered'; tensorRows: number; modules: number; findings: number; layerRows: number; renderMs: number }
  | { type: 'explainRule'; rule: string }
  | { type: 'refresh' }
  /** Run the layer analysis again, or stop the one running. */
  | { type: 'analyzeLayers' }
  | { type: 'cancelLayers' };

/** Returns the message when it is one the webview may send, undefined otherwise. */
export function parseReportViewMessage(value: unknown): ReportViewMessage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
    case 'refresh':
    case 'analyzeLayers':
    case 'cancelLayers':
      return { type: m.type };
    case 'explainRule':
      return typeof m.rule === 'string' && /^[a-z0-9-]{1,64}$/.test(m.rule) ? { type: 'explainRule', rule: m.rule } : undefined;
    case 'rendered': {
      const numbers = [m.tensorRows, m.modules, m.findings, m.layerRows, m.renderMs];
      if (!numbers.every((n) => typeof n === 'number' && Number.isFinite(n) && n >= 0)) return undefined;
      const [tensorRows, modules, findings, layerRows, renderMs] = numbers as number[];
      return { type: 'rendered', tensorRows, modules, findings, layerRows, renderMs };
    }
    default:
      return undefined;
  }
}
