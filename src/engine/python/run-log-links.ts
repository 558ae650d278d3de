import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Node } from 'web-tree-sitter';
import type { Range } from '../finding';
import type { PythonFile } from './python-file';

/**
 * Where a training script writes its training log, read from the calls that configure the logging:
 * Keras `CSVLogger("log.csv")` and `TensorBoard(log_dir=…)`, PyTorch `SummaryWriter(log_dir)`,
 * Lightning's `Trainer(...)` (its default `lightning_logs/version_N`, or the `CSVLogger`/`TensorBoardLogger`
 * it is given) and Hugging Face `TrainingArguments(output_dir=…)`. Only paths that resolve statically
 * (literals, constants, argparse defaults) and exist on disk count: anything else links nothing.
 */
export interface RunLogLink {
  /** Where findings about the run go on the script: the `fit(`, `Trainer(` or logger line. */
  anchor: Range;
  /** A log file (`kind: 'file'`) or a folder whose most recent run is the script's (`'folder'`). */
  kind: 'file' | 'folder';
  /** Absolute path. */
  target: string;
  /** "CSVLogger("logs/train.csv") (line 12)": how the link was found, for the hover's evidence. */
  via: string;
}

const KERAS = ['keras', 'tensorflow.keras', 'tf_keras', 'tensorflow.python.keras'];
const KERAS_CSV_LOGGERS = new Set(KERAS.map((k) => `${k}.callbacks.CSVLogger`));
const KERAS_TENSORBOARD = new Set(KERAS.map((k) => `${k}.callbacks.TensorBoard`));
const SUMMARY_WRITERS = new Set(['torch.utils.tensorboard.SummaryWriter', 'torch.utils.tensorboard.writer.SummaryWriter', 'tensorboardX.SummaryWriter']);
const LIGHTNING = ['pytorch_lightning', 'lightning.pytorch', 'lightning'];
const LIGHTNING_TRAINERS = new Set(LIGHTNING.flatMap((l) => [`${l}.Trainer`, `${l}.trainer.Trainer`, `${l}.trainer.trainer.Trainer`]));
/** Lightning loggers that write under `save_dir/name/version_N` (name defaults to `lightning_logs`). */
const LIGHTNING_LOGGERS = new Set(LIGHTNING.flatMap((l) => [`${l}.loggers.CSVLogger`, `${l}.loggers.TensorBoardLogger`, `${l}.loggers.csv_logs.CSVLogger`, `${l}.loggers.tensorboard.TensorBoardLogger`]));
const HF_ARGUMENTS = new Set(['transformers.TrainingArguments', 'transformers.Seq2SeqTrainingArguments', 'trl.SFTConfig']);

/** The training logs a script's logging calls point at, each with the line its findings go on. */
export function runLogLinks(file: PythonFile): RunLogLink[] {
  const scriptDir = path.dirname(file.path);
  const bases = [scriptDir, ...file.workspace.roots];
  const fit = file.calls.find((c) => file.calleeTail(c) === 'fit');
  const links: RunLogLink[] = [];
  const add = (call: Node, anchor: Node | undefined, kind: RunLogLink['kind'], value: string | undefined) => {
    if (value === undefined || value === '') return;
    const target = existing(value, bases, kind);
    if (!target) return;
    const line = call.startPosition.row + 1;
    const at = anchor ?? call;
    // The callee (`model.fit`, `Trainer`), not the whole call: a diagnostic over a 10-line call hides the code.
    links.push({ anchor: file.range(at.childForFieldName('function') ?? at), kind, target, via: `\`${oneLine(call.text)}\` (line ${line})` });
  };
  for (const call of file.calls) {
    const name = file.calleeName(call);
    if (!name) continue;
    if (KERAS_CSV_LOGGERS.has(name)) add(call, fit, 'file', argument(file, call, 0, 'filename'));
    else if (KERAS_TENSORBOARD.has(name)) add(call, fit, 'folder', argument(file, call, 0, 'log_dir') ?? 'logs');
    else if (SUMMARY_WRITERS.has(name)) add(call, call, 'folder', argument(file, call, 0, 'log_dir'));
    else if (HF_ARGUMENTS.has(name)) {
      const trainer = file.calls.find((c) => /Trainer$/.test(file.calleeTail(c) ?? '') && !LIGHTNING_TRAINERS.has(file.calleeName(c) ?? ''));
      add(call, trainer, 'folder', argument(file, call, 0, 'output_dir'));
    } else if (LIGHTNING_TRAINERS.has(name)) {
      const folder = lightningFolder(file, call);
      if (folder !== undefined) add(call, fit ?? call, 'folder', folder);
    }
  }
  return links;
}

/** `lightning_logs` under `default_root_dir` (or the working folder), or the folder of the logger it is given. */
function lightningFolder(file: PythonFile, trainer: Node): string | undefined {
  const logger = file.keywordArgument(trainer, 'logger');
  const root = file.keywordArgument(trainer, 'default_root_dir');
  const rootDir = root ? stringValue(file, root) : '.';
  if (!logger) return rootDir === undefined ? undefined : path.join(rootDir, 'lightning_logs');
  if (logger.type !== 'call' || !LIGHTNING_LOGGERS.has(file.calleeName(logger) ?? '')) return undefined; // logger=False, or one we cannot follow
  const saveDir = argument(file, logger, 0, 'save_dir');
  const nameNode = file.keywordArgument(logger, 'name') ?? file.positionalArguments(logger)[1];
  const name = nameNode ? stringValue(file, nameNode) : 'lightning_logs';
  return saveDir === undefined || name === undefined ? undefined : path.join(saveDir, name);
}

function argument(file: PythonFile, call: Node, position: number, keyword: string): string | undefined {
  const node = file.keywordArgument(call, keyword) ?? file.positionalArguments(call)[position];
  return node ? stringValue(file, node) : undefined;
}

function stringValue(file: PythonFile, node: Node): string | undefined {
  const value = file.evaluate(node)?.value;
  return typeof value === 'string' ? value : undefined;
}

/** The first base the path exists under (the script's folder first: where `python train.py` is usually run). */
function existing(value: string, bases: readonly string[], kind: RunLogLink['kind']): string | undefined {
  const candidates = path.isAbsolute(value) ? [value] : bases.map((b) => path.resolve(b, value));
  return candidates.find((candidate) => {
    try {
      const stat = fs.statSync(candidate);
      return kind === 'file' ? stat.isFile() : stat.isDirectory();
    } catch {
      return false;
    }
  });
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 80 ? `${flat.slice(0, 77)}…` : flat;
}
