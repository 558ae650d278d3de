import type { Node } from 'web-tree-sitter';
import { isEntryPoint, runsAtModuleLevel } from '../python/entry-point';
import type { PythonFile } from '../python/python-file';
import { constructorOf, valuesAssignedTo } from '../python/training-setup/assignments';
import { evaluationSign } from '../python/training-setup/evaluation-passes';
import { kerasCompileCall } from '../python/training-setup/keras-models';
import { definesMethod, isLightningModule, localClass } from '../python/training-setup/lightning-modules';
import { enclosingFunction, receiver } from '../python/training-setup/reachable-calls';
import { optimizerStepped, trainingLoops, type TrainingLoop } from '../python/training-setup/training-loops';
import { quoteNode } from './evidence';
import type { PythonRule, RuleHit } from './rule';

/** Keras `fit(x, y, batch_size, epochs, verbose, callbacks, validation_split, validation_data, ...)`: positions of the validation arguments. */
const KERAS_VALIDATION_POSITION = 6;
/** `Trainer(model, args, data_collator, train_dataset, eval_dataset, ...)`. */
const HF_EVAL_DATASET_POSITION = 4;

export const noValidation: PythonRule = {
  code: 'no-validation',
  drawback: 'overfitting',
  defaultSeverity: 'warning',
  title: 'Training runs without any validation data',
  explanation: `
A model's loss on the data it trains on keeps falling long after it has started to memorise that
data. Only a held-out validation set shows when the loss on *unseen* data stops improving — the
point to stop training, pick a checkpoint or tune regularisation. A script that never evaluates on
held-out data during training cannot see overfitting at all, and hyperparameters chosen from its
training loss favour the most overfit run.

The rule fires on a script (not a module that only defines things) that trains with:
- Keras \`model.fit(...)\` without \`validation_data=\` or \`validation_split=\` on a model compiled with a
  loss (as info when the model is at least \`evaluate\`d after training, which shows the final gap but not
  when it opened); custom models compiled without a loss — VAEs, GANs with their own \`train_step\` — are
  left alone, and so is a final refit on all the data in a script whose other \`fit\` call validates;
- Hugging Face \`Trainer(...)\` (or \`Seq2SeqTrainer\`, TRL's \`SFTTrainer\`) without \`eval_dataset=\`, and no
  \`trainer.evaluate(...)\` or \`trainer.predict(...)\` call — setting \`eval_strategy\` in \`TrainingArguments\`
  is not enough on its own, there is nothing to evaluate;
- a Lightning \`LightningModule\` of this file without \`validation_step\`, fitted with
  \`trainer.fit(model)\` or \`trainer.fit(model, train_loader)\` and no validation loader or datamodule;
- a PyTorch loop that runs \`backward()\` and \`optimizer.step()\` for several epochs, in a file with no
  evaluation pass anywhere: no \`model.eval()\`, no \`torch.no_grad()\`/\`inference_mode()\`, no loop over
  a \`val_loader\`/\`test_loader\`, no call to a function named like \`evaluate\`, \`validate\`, \`test\` or
  \`accuracy\` (defined here or imported). Loops that step
  two optimizers (GANs) and reinforcement-learning scripts (\`gym\`, \`gymnasium\`, Stable-Baselines3)
  are left alone: they have no held-out data set to validate on.

Calls whose arguments come through \`**kwargs\` are left alone: the validation set may be in them.

## How to fix
Hold out part of the training data, evaluate on it every epoch, and keep the best checkpoint:
- Keras: \`model.fit(x, y, validation_split=0.1, callbacks=[keras.callbacks.EarlyStopping(restore_best_weights=True)])\`
- Hugging Face: \`Trainer(..., eval_dataset=eval_ds)\` with \`eval_strategy="epoch"\` and \`load_best_model_at_end=True\`
- Lightning: add \`validation_step\` and \`trainer.fit(model, train_loader, val_loader)\`
- PyTorch: after each epoch, \`model.eval()\` and a \`with torch.no_grad():\` pass over a validation loader.

Sources: Goodfellow, Bengio, Courville, *Deep Learning* (2016), §5.3 "Hyperparameters and Validation
Sets" and §7.8 "Early Stopping"; Keras \`Model.fit\` (keras.io/api/models/model_training_apis);
Hugging Face \`Trainer\` (huggingface.co/docs/transformers/main_classes/trainer); Lightning
"Validate and test a model" (lightning.ai/docs/pytorch/stable/common/evaluation_basic.html).
`,
  checkPython(file): RuleHit[] {
    // Modules that only define things are judged where they run: a script's top level or its main().
    const script = isEntryPoint(file);
    const runs = (call: Node) => script || runsAtModuleLevel(call);
    return [...kerasFits(file, runs), ...huggingFaceTrainers(file, runs), ...lightningFits(file, runs), ...(script ? torchLoops(file) : [])].sort(
      (a, b) => a.range.start.line - b.range.start.line,
    );
  },
};

function kerasFits(file: PythonFile, runs: (call: Node) => boolean): RuleHit[] {
  const hits: RuleHit[] = [];
  // A script that validates one fit and then refits on all the data (after picking epochs) is doing it right.
  if (file.calls.some((c) => file.calleeTail(c) === 'fit' && (file.keywordArgument(c, 'validation_data') || file.keywordArgument(c, 'validation_split')))) return [];
  for (const call of file.calls) {
    const model = receiver(call)?.text;
    if (file.calleeTail(call) !== 'fit' || !model || file.hasSplat(call) || !runs(call)) continue;
    if (file.keywordArgument(call, 'validation_data') || file.keywordArgument(call, 'validation_split')) continue;
    if (file.positionalArguments(call).length > KERAS_VALIDATION_POSITION) continue;
    // Supervised models are compiled with a loss; VAEs and GANs with a custom train_step are not, and have no validation loss to watch.
    const compile = kerasCompileCall(file, model);
    if (!compile || !(file.keywordArgument(compile, 'loss') ?? file.positionalArguments(compile)[1])) continue;
    const evaluated = file.calls.find((c) => c.startIndex > call.endIndex && file.calleeTail(c) === 'evaluate' && receiver(c)?.text === model);
    const evidence = [`${quoteNode(call)} has neither \`validation_data=\` nor \`validation_split=\``];
    if (evaluated) evidence.push(`${quoteNode(evaluated)} measures the model once, after training`);
    hits.push({
      range: file.range(call),
      message: evaluated
        ? `${model}.fit(...) has no validation data: the model is evaluated only after training (line ${evaluated.startPosition.row + 1}), so when it started to overfit goes unseen. Pass validation_split=0.1 or validation_data=(x_val, y_val).`
        : `${model}.fit(...) has no validation data: nothing shows when the model starts to overfit. Pass validation_split=0.1 or validation_data=(x_val, y_val).`,
      evidence,
      ...(evaluated ? { severity: 'info' as const } : {}),
      data: { framework: 'keras', evaluatedAfter: Boolean(evaluated) },
    });
  }
  return hits;
}

function huggingFaceTrainers(file: PythonFile, runs: (call: Node) => boolean): RuleHit[] {
  const hits: RuleHit[] = [];
  for (const call of file.calls) {
    const name = file.calleeName(call) ?? '';
    if (!/^(transformers(\.\w+)*\.(Trainer|Seq2SeqTrainer)|trl(\.\w+)*\.SFTTrainer)$/.test(name) || file.hasSplat(call) || !runs(call)) continue;
    if (file.keywordArgument(call, 'eval_dataset') || file.positionalArguments(call).length > HF_EVAL_DATASET_POSITION) continue;
    const bound = trainerName(call);
    if (!bound) continue;
    const uses = file.calls.filter((c) => receiver(c)?.text === bound);
    if (!uses.some((c) => file.calleeTail(c) === 'train')) continue;
    if (uses.some((c) => (file.calleeTail(c) === 'evaluate' || file.calleeTail(c) === 'predict') && hasArguments(c))) continue;
    const tail = name.split('.').pop()!;
    hits.push({
      range: file.range(call),
      message: `${tail}(...) has no eval_dataset: ${bound}.train() never measures the loss on held-out data, so overfitting goes unseen. Pass eval_dataset= and set eval_strategy="epoch" in TrainingArguments.`,
      evidence: [`${quoteNode(call)} has no \`eval_dataset=\``, `\`${bound}.train()\` is called, and no \`${bound}.evaluate(...)\` or \`${bound}.predict(...)\` with a data set`],
      data: { framework: 'transformers' },
    });
  }
  return hits;
}

/** The name a `Trainer(...)` is assigned to: `trainer = Trainer(...)`. */
function trainerName(call: Node): string | undefined {
  const parent = call.parent;
  if (parent?.type !== 'assignment' || parent.childForFieldName('right')?.startIndex !== call.startIndex) return undefined;
  const left = parent.childForFieldName('left');
  return left?.type === 'identifier' || left?.type === 'attribute' ? left.text : undefined;
}

function hasArguments(call: Node): boolean {
  return (call.childForFieldName('arguments')?.namedChildren.length ?? 0) > 0;
}

function lightningFits(file: PythonFile, runs: (call: Node) => boolean): RuleHit[] {
  const hits: RuleHit[] = [];
  for (const call of file.calls) {
    const trainer = receiver(call)?.text;
    if (file.calleeTail(call) !== 'fit' || !trainer || file.hasSplat(call) || !runs(call)) continue;
    const built = constructorOf(file, trainer);
    if (!built || !/^(lightning|pytorch_lightning|lightning\.pytorch)(\.trainer(\.trainer)?)?\.Trainer$/.test(file.calleeName(built) ?? '')) continue;
    if (['val_dataloaders', 'datamodule'].some((k) => file.keywordArgument(call, k))) continue;
    const positional = file.positionalArguments(call);
    if (positional.length > 2) continue;
    const model = file.keywordArgument(call, 'model') ?? positional[0];
    const train = file.keywordArgument(call, 'train_dataloaders') ?? positional[1];
    // A datamodule passed positionally may carry val_dataloader(): only a plain DataLoader is known not to.
    if (train && !isDataLoader(file, train)) continue;
    const modelClass = model?.type === 'identifier' ? constructorOf(file, model.text) : undefined;
    const className = modelClass?.childForFieldName('function');
    const cls = className?.type === 'identifier' ? localClass(file, className.text) : undefined;
    if (!cls || !isLightningModule(file, cls) || definesMethod(file, cls, 'validation_step') !== false) continue;
    hits.push({
      range: file.range(call),
      message: `${className!.text} has no validation_step and ${trainer}.fit(...) gets no validation loader: Lightning never validates, so overfitting goes unseen. Add validation_step and pass val_dataloaders=.`,
      evidence: [
        `class \`${className!.text}\` (line ${cls.startPosition.row + 1}) subclasses \`LightningModule\` and defines no \`validation_step\``,
        `${quoteNode(call)} passes no \`val_dataloaders=\` or \`datamodule=\``,
      ],
      data: { framework: 'lightning' },
    });
  }
  return hits;
}

function isDataLoader(file: PythonFile, node: Node): boolean {
  const values = node.type === 'identifier' ? valuesAssignedTo(file, node.text) : [node];
  return values.length > 0 && values.every((v) => v.type === 'call' && /(^|\.)DataLoader$/.test(file.calleeName(v) ?? ''));
}

function torchLoops(file: PythonFile): RuleHit[] {
  const loops = trainingLoops(file);
  if (loops.length === 0 || evaluationSign(file) || hasNoValidationSetByDesign(file)) return [];
  const training = loops.find((l) => epochLoop(file, l) && !adversarial(file, l));
  if (!training) return [];
  const epochs = epochLoop(file, training)!;
  return [
    {
      range: { start: file.range(epochs).start, end: file.range(headerOf(epochs)).end },
      message: `This training loop never evaluates on held-out data: no model.eval(), no torch.no_grad() pass, no loop over validation or test data and no evaluate/validate function anywhere in the file, so overfitting goes unseen. After each epoch, run the model on a validation loader under model.eval() and torch.no_grad().`,
      evidence: [
        `${quoteNode(training.backward)} and ${quoteNode(training.step)} run once per batch, for several epochs (${quoteNode(headerOf(epochs))})`,
        'no `.eval()`, `.train(False)`, `torch.no_grad()`, `torch.inference_mode()`, loop over a `val`/`test` loader or call to a function named like evaluate/validate/test in the file',
      ],
      data: { framework: 'pytorch' },
    },
  ];
}

/** Reinforcement learning trains on an environment, not a data set: there is nothing to hold out. */
function hasNoValidationSetByDesign(file: PythonFile): boolean {
  for (const binding of file.imports.values()) if (/^(gym|gymnasium|stable_baselines3|pettingzoo|dm_control)(\.|$)/.test(binding.qualified)) return true;
  return false;
}

/** A loop that steps two optimizers (a GAN's generator and discriminator): generative training has no validation loss to watch. */
function adversarial(file: PythonFile, training: TrainingLoop): boolean {
  const optimizers = new Set(training.calls.map((c) => optimizerStepped(file, c)).filter((o) => o !== undefined));
  return optimizers.size > 1;
}

/**
 * The loop that repeats training over epochs: a loop around the batch loop, or around a call of the
 * function holding it (pytorch/examples' `for epoch in ...: train(...)`), or the batch loop itself when
 * its variable says `epoch`. Undefined for a single pass, which is fine-tuning or a demo, not training to convergence.
 */
function epochLoop(file: PythonFile, training: TrainingLoop): Node | undefined {
  const variable = training.loop.childForFieldName('left')?.text ?? '';
  if (/epoch/i.test(variable)) return training.loop;
  const outer = enclosingLoop(training.loop);
  if (outer) return outer;
  const fn = enclosingFunction(training.loop);
  const name = fn?.childForFieldName('name')?.text;
  if (!name) return undefined;
  for (const call of file.calls) {
    const callee = call.childForFieldName('function');
    const called = callee?.type === 'identifier' ? callee.text : callee?.type === 'attribute' && callee.childForFieldName('object')?.text === 'self' ? callee.childForFieldName('attribute')?.text : undefined;
    if (called !== name) continue;
    const around = enclosingLoop(call);
    if (around) return around;
  }
  return undefined;
}

function enclosingLoop(node: Node): Node | undefined {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'function_definition' || p.type === 'class_definition') return undefined;
    if (p.type === 'for_statement' || p.type === 'while_statement') return p;
  }
  return undefined;
}

/** `for epoch in range(args.epochs)` without the body: the loop's range up to its iterable or condition. */
function headerOf(loop: Node): Node {
  return loop.childForFieldName('right') ?? loop.childForFieldName('condition') ?? loop;
}
