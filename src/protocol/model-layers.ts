/**
 * The Model Report asks the language server for a model file's per-layer analysis (output shapes,
 * parameters, MACs per sample, the TensorFlow.js backend that built it). The server answers from a
 * worker thread; cancelling the request ends that worker.
 */
import { RequestType } from 'vscode-languageserver-protocol';
import type { LayerAnalysisResult } from '../engine/tf/layer-analysis-types';

export type { LayerAnalysis, LayerAnalysisError, LayerAnalysisResult, LayerRow, Shape, UnsupportedLayer } from '../engine/tf/layer-analysis-types';

export interface ModelLayersParams {
  /** The model file: a Keras .h5/.keras file or a TF.js model.json. */
  uri: string;
}

export const ModelLayersRequest = new RequestType<ModelLayersParams, LayerAnalysisResult, void>('dlDoctor/modelLayers');
