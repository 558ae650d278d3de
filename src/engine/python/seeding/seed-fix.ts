import type { Node } from 'web-tree-sitter';
import type { Fix } from '../../finding';
import { runsAtModuleLevel } from '../entry-point';
import type { PythonFile } from '../python-file';
import { normalizeKeras, type Framework } from './frameworks';
import type { SeedFacts } from './seed-facts';

export const SEED_FIX_TITLE = 'Seed all random number generators used in this file';
const SEED_NAME = 'SEED';
const SEED_VALUE = '42';

/**
 * One `SEED` constant and the seeding call of each framework the file uses but does not seed,
 * inserted after the imports (and before the first random call that runs at import time), written
 * with the file's own aliases (`np`, `T`) and line endings. Missing imports are added.
 */
export function seedFix(file: PythonFile, facts: SeedFacts, frameworks: Framework[]): Fix {
  const imports: string[] = [];
  const calls: string[] = [];
  const seed = SEED_NAME;
  let remaining = new Set(frameworks);

  if (remaining.has('tensorflow')) {
    const tf = moduleAlias(file, 'tensorflow');
    const keras = tf ? undefined : moduleAlias(file, 'keras');
    if (tf) calls.push(`${tf}.random.set_seed(${seed})`);
    else if (keras) {
      // Keras' set_random_seed also seeds Python's random and NumPy.
      calls.push(`${keras}.utils.set_random_seed(${seed})`);
      remaining = new Set([...remaining].filter((f) => f !== 'random' && f !== 'numpy'));
    } else {
      imports.push('import tensorflow as tf');
      calls.push(`tf.random.set_seed(${seed})`);
    }
  }
  const ordered: string[] = [];
  if (remaining.has('random')) {
    const random = moduleAlias(file, 'random') ?? addImport(imports, 'import random', 'random');
    ordered.push(`${random}.seed(${seed})`);
  }
  if (remaining.has('numpy')) {
    const npr = moduleAlias(file, 'numpy.random');
    if (npr) ordered.push(`${npr}.seed(${seed})`);
    else {
      const np = moduleAlias(file, 'numpy') ?? (freeAlias(file, 'np') ? addImport(imports, 'import numpy as np', 'np') : addImport(imports, 'import numpy', 'numpy'));
      ordered.push(`${np}.random.seed(${seed})`);
    }
  }
  if (remaining.has('torch')) {
    const torch = moduleAlias(file, 'torch') ?? addImport(imports, 'import torch', 'torch');
    ordered.push(`${torch}.manual_seed(${seed})`, `${torch}.cuda.manual_seed_all(${seed})`);
  }
  calls.unshift(...ordered);

  const eol = file.eol;
  const anchor = insertionAnchor(file, facts);
  const seedDefinedBefore = file.constants.has(SEED_NAME) && !!anchor && file.constants.get(SEED_NAME)!.startIndex < anchor.endIndex;
  const lines = [...(seedDefinedBefore ? [] : [`${SEED_NAME} = ${SEED_VALUE}`]), ...calls];
  let position: { line: number; character: number };
  let newText: string;
  if (!anchor) {
    position = { line: topInsertionLine(file), character: 0 };
    newText = [...imports, ...(imports.length ? [''] : []), ...lines].join(eol) + eol + eol;
  } else if (anchor.endPosition.row + 1 >= lineCount(file)) {
    // The anchor is the file's last line: append after it.
    const line = anchor.endPosition.row;
    position = { line, character: file.lineText(line).length };
    newText = eol + [...imports, '', ...lines].join(eol) + eol;
  } else {
    // New imports join the import block; the seeding block is set off by a blank line on each side.
    const line = anchor.endPosition.row + 1;
    position = { line, character: 0 };
    const importText = imports.map((i) => i + eol).join('');
    const gapAfter = file.lineText(line).trim() ? eol : '';
    newText = importText + eol + lines.join(eol) + eol + gapAfter;
  }
  return { title: SEED_FIX_TITLE, isPreferred: true, edits: [{ range: { start: position, end: position }, newText }] };
}

/** Local name bound at module level to exactly this module, if any. */
function moduleAlias(file: PythonFile, module: string): string | undefined {
  for (const binding of file.imports.values()) {
    if (binding.moduleLevel && (binding.qualified === module || normalizeKeras(binding.qualified) === module)) return binding.local;
  }
  return undefined;
}

function freeAlias(file: PythonFile, name: string): boolean {
  return !file.imports.has(name) && !file.constants.has(name) && !file.functions.has(name);
}

function addImport(imports: string[], statement: string, local: string): string {
  if (!imports.includes(statement)) imports.push(statement);
  return local;
}

/**
 * The statement the seeding block goes after: the last top-level import (or the SEED constant) that
 * comes before the first random call executed at import time.
 */
function insertionAnchor(file: PythonFile, facts: SeedFacts): Node | undefined {
  const firstModuleLevelUse = facts.uses.find((u) => runsAtModuleLevel(u.call))?.call.startIndex ?? Infinity;
  let anchor: Node | undefined;
  for (const statement of file.statements) {
    if (statement.startIndex >= firstModuleLevelUse) break;
    const isImport = statement.type === 'import_statement' || statement.type === 'import_from_statement' || statement.type === 'future_import_statement';
    const isSeedConstant = statement.type === 'expression_statement' && file.constants.get(SEED_NAME)?.parent?.parent?.equals(statement);
    if (isImport || isSeedConstant) anchor = statement;
  }
  return anchor;
}

/** Line to insert at when there is no import: after a shebang, encoding line and module docstring. */
function topInsertionLine(file: PythonFile): number {
  let line = 0;
  const first = file.statements.find((n) => n.type !== 'comment');
  if (first?.type === 'expression_statement' && first.namedChildren[0]?.type === 'string') line = first.endPosition.row + 1;
  while (line < lineCount(file) && /^#(!|.*coding[:=])/.test(file.lineText(line)) && line < 2) line++;
  return line;
}

function lineCount(file: PythonFile): number {
  return file.lineOf(file.text.length) + 1;
}
