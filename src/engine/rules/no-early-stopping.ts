import type { Node } from 'web-tree-sitter';
import { threshold } from '../config';
import type { PythonFile } from '../python/python-file';
import { callbacksVisible, earlyStoppingSignal } from '../python/training-setup/early-stopping';
import { validatesWhileTraining } from '../python/training-setup/epoch-validation';
import { epochSettings, type EpochSetting, type EpochSource } from '../python/training-setup/epochs';
import { codeSpan } from './evidence';
import type { PythonRule, RuleHit } from './rule';

const MIN_EPOCHS = 'no-early-stopping.min-epochs';
const DEFAULT_MIN_EPOCHS = 50;

const WHERE: Record<EpochSource, string> = {
  'keras-fit': 'Keras fit',
  lightning: 'Lightning Trainer',
  'hugging-face': 'TrainingArguments',
  loop: 'training loop',
};

const VALIDATION: Record<EpochSource, string> = {
  'keras-fit': 'validation_data or validation_split',
  lightning: 'validation_step or validation loaders',
  'hugging-face': 'an evaluation strategy',
  loop: 'the epoch loop evaluates the model',
};

const NEXT_STEP: Record<EpochSource, string> = {
  'keras-fit': 'Add callbacks=[keras.callbacks.EarlyStopping(monitor="val_loss", patience=5, restore_best_weights=True)]',
  lightning: 'Add callbacks=[EarlyStopping(monitor="val_loss")] or ModelCheckpoint(monitor="val_loss") to the Trainer',
  'hugging-face': 'Set load_best_model_at_end=True (with matching eval and save strategies) or add EarlyStoppingCallback',
  loop: 'Track the best validation loss, save that checkpoint, and stop when it has not improved for a few epochs',
};

export const noEarlyStopping: PythonRule = {
  code: 'no-early-stopping',
  drawback: 'overfitting',
  defaultSeverity: 'info',
  title: 'Many epochs with no early stopping and no best checkpoint',
  thresholds: [{ name: 'min-epochs', default: DEFAULT_MIN_EPOCHS, minimum: 1, description: 'epoch counts from this up are reported when nothing stops early or keeps the best model' }],
  explanation: `
Training for many epochs keeps lowering the training loss long after the validation loss has turned
up; the model saved at the end is then the overfit one. Early stopping — keeping the parameters from the
epoch with the best validation score and stopping once it stops improving — is the standard guard, and
acts as a regulariser in its own right (Goodfellow, Bengio & Courville, *Deep Learning*, 2016, §7.8;
Prechelt, "Early Stopping — But When?", 1998).

The rule reports a run that measures a validation score while it trains (Keras \`validation_data\`
or \`validation_split\`, a Lightning \`validation_step\`, an evaluation strategy, or an epoch loop that
calls \`model.eval()\` or an \`evaluate…\`/\`validate…\`/\`test…\` function) and has an epoch count of at least \`no-early-stopping.min-epochs\` (default 50) — from Keras
\`fit(epochs=…)\`, Lightning \`Trainer(max_epochs=…)\`, \`TrainingArguments(num_train_epochs=…)\` or a
PyTorch \`for epoch in range(…)\` loop that calls \`.backward()\` — when the file contains none of:
\`EarlyStopping\` (Keras, Lightning, or your own class), \`EarlyStoppingCallback\`, \`ReduceLROnPlateau\`,
Keras \`ModelCheckpoint(save_best_only=True)\`, Lightning \`ModelCheckpoint(monitor=…)\`,
\`load_best_model_at_end=True\`, \`stop_training = True\`, a \`break\` out of the epoch loop, or the
variables of a hand-written early stop (\`best_loss\`, \`is_best\`, \`patience\`, \`early_stop\`). Counts that
do not resolve, and callbacks built in another module, are not judged. 50 epochs is where common
recipes already use a schedule or early stopping; set the threshold higher for fixed-schedule recipes
(e.g. 200-epoch CIFAR training with cosine decay).

## How to fix
Hold out a validation set and either stop when its loss has not improved for a few epochs
(\`keras.callbacks.EarlyStopping(patience=5, restore_best_weights=True)\`, Lightning's \`EarlyStopping\`,
transformers' \`EarlyStoppingCallback\`) or keep the best checkpoint (\`ModelCheckpoint(save_best_only=True)\`,
\`load_best_model_at_end=True\`, or \`if val_loss < best_loss: torch.save(...)\` in a plain loop).
`,
  checkPython(file, config): RuleHit[] {
    const min = threshold(config, MIN_EPOCHS, DEFAULT_MIN_EPOCHS);
    const settings = epochSettings(file).filter((s) => s.epochs.value >= min && validatesWhileTraining(file, s) && !opaqueCallbacks(file, s) && !breaksOut(s));
    if (settings.length === 0 || earlyStoppingSignal(file)) return [];
    return settings.map((setting) => {
      const { value, via } = setting.epochs;
      const from = via ? ` (from ${via})` : '';
      return {
        range: file.range(setting.node),
        message:
          `${WHERE[setting.source]} runs ${value} epochs${from} and validates, but nothing stops early or keeps the best model: the model you keep is the last epoch's, ` +
          `which may have overfit. ${NEXT_STEP[setting.source]}.`,
        evidence: [
          `${value} epochs${via ? ` from ${via}` : ` (line ${setting.node.startPosition.row + 1})`} in ${codeSpan(siteText(setting.site))} (line ${setting.site.startPosition.row + 1}); reported from \`${MIN_EPOCHS}\` = ${min}`,
          `validated while training (${VALIDATION[setting.source]})`,
          'no EarlyStopping, ReduceLROnPlateau, best-only checkpoint, load_best_model_at_end or best-validation tracking in this file',
        ],
        data: { epochs: value, via, source: setting.source },
      };
    });
  },
};

/** Callbacks passed in from elsewhere may well stop early: such runs are not judged. */
function opaqueCallbacks(file: PythonFile, setting: EpochSetting): boolean {
  if (setting.source === 'loop' || setting.source === 'hugging-face') return false;
  return !callbacksVisible(file, file.keywordArgument(setting.site, 'callbacks'));
}

/** A `break` in the epoch loop's body (outside nested loops) is a hand-written stop. */
function breaksOut(setting: EpochSetting): boolean {
  if (setting.source !== 'loop') return false;
  const body = setting.site.childForFieldName('body');
  return !!body?.descendantsOfType('break_statement').some((b) => {
    for (let p = b?.parent; p; p = p.parent) {
      if (p.equals(setting.site)) return true;
      if (p.type === 'for_statement' || p.type === 'while_statement' || p.type === 'function_definition') return false;
    }
    return false;
  });
}

function siteText(site: Node): string {
  if (site.type === 'for_statement') return `for ${site.childForFieldName('left')?.text ?? ''} in ${site.childForFieldName('right')?.text ?? ''}`;
  return site.text;
}
