import type { PythonFile } from '../python-file';

/** Calls that put trained weights into a model, overwriting its random initial ones. */
const LOADS_WEIGHTS = new Set(['load_state_dict', 'load_weights', 'load_model', 'from_pretrained', 'load_from_checkpoint']);
/** Calls that train: with these, random initial weights shape the result even after a load (fine-tuning). */
const TRAINS = new Set(['backward', 'fit', 'fit_generator', 'train_on_batch', 'Trainer', 'SFTTrainer', 'Seq2SeqTrainer', 'train', 'minimize', 'apply_gradients']);

/**
 * An evaluation or inference script: it loads trained weights and never trains. The random initial
 * weights of the layers it builds are overwritten, so their seed does not matter.
 */
export function loadsWeightsWithoutTraining(file: PythonFile): boolean {
  let loads = false;
  for (const call of file.calls) {
    const tail = file.calleeTail(call) ?? '';
    if (TRAINS.has(tail)) return false;
    if (LOADS_WEIGHTS.has(tail) || file.calleeName(call) === 'torch.load') loads = true;
  }
  return loads;
}
