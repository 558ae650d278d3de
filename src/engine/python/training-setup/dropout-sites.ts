import type { Node } from 'web-tree-sitter';
import type { PythonFile } from '../python-file';

/** Where a call states a drop probability: the argument node and the name a reader knows it by. */
export interface DropoutSite {
  call: Node;
  /** `nn.Dropout`, `layers.LSTM` … as written in the file. */
  callee: string;
  /** The parameter: `p`, `rate`, `dropout`, `recurrent_dropout`. */
  parameter: string;
  value: Node;
}

/** Layers and functions whose argument is the probability of DROPPING a unit (not TF1's keep_prob). */
const TORCH_LAYER = /^torch\.nn\.(?:modules\.dropout\.)?(Dropout|Dropout1d|Dropout2d|Dropout3d|AlphaDropout|FeatureAlphaDropout)$/;
const TORCH_FUNCTION = /^torch\.(?:nn\.functional\.)?(dropout|dropout1d|dropout2d|dropout3d|alpha_dropout|feature_alpha_dropout)$/;
const TORCH_WITH_DROPOUT = /^torch\.nn\.(LSTM|GRU|RNN|Transformer|TransformerEncoderLayer|TransformerDecoderLayer|MultiheadAttention)$/;
const KERAS = /^(?:tensorflow\.(?:python\.)?|tf_keras\.)?keras\.layers\.(\w+)$|^tf_keras\.layers\.(\w+)$/;
const KERAS_LAYER = new Set(['Dropout', 'SpatialDropout1D', 'SpatialDropout2D', 'SpatialDropout3D', 'AlphaDropout', 'GaussianDropout']);
const KERAS_WITH_DROPOUT = new Set(['LSTM', 'GRU', 'SimpleRNN', 'ConvLSTM1D', 'ConvLSTM2D', 'ConvLSTM3D', 'MultiHeadAttention', 'LSTMCell', 'GRUCell', 'SimpleRNNCell']);

/** Every drop probability the file's calls state, resolved or not. */
export function dropoutSites(file: PythonFile): DropoutSite[] {
  const sites: DropoutSite[] = [];
  for (const call of file.calls) {
    const name = file.calleeName(call);
    if (!name) continue;
    const callee = call.childForFieldName('function')?.text ?? name;
    const add = (parameter: string, value: Node | undefined) => {
      if (value) sites.push({ call, callee, parameter, value });
    };
    const positional = file.positionalArguments(call);
    if (TORCH_LAYER.test(name)) add('p', file.keywordArgument(call, 'p') ?? positional[0]);
    else if (TORCH_FUNCTION.test(name)) add('p', file.keywordArgument(call, 'p') ?? positional[1]);
    else if (TORCH_WITH_DROPOUT.test(name)) add('dropout', file.keywordArgument(call, 'dropout'));
    else if (name === 'tensorflow.nn.dropout') add('rate', file.keywordArgument(call, 'rate')); // positional may be TF1's keep_prob
    else if (name === 'flax.linen.Dropout') add('rate', file.keywordArgument(call, 'rate') ?? positional[0]);
    else {
      const match = KERAS.exec(name);
      const layer = match && (match[1] ?? match[2]);
      if (layer && KERAS_LAYER.has(layer)) add('rate', file.keywordArgument(call, 'rate') ?? positional[0]);
      else if (layer && KERAS_WITH_DROPOUT.has(layer)) {
        add('dropout', file.keywordArgument(call, 'dropout'));
        add('recurrent_dropout', file.keywordArgument(call, 'recurrent_dropout'));
      }
    }
  }
  return sites;
}
