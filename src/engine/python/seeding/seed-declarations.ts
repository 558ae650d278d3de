import type { Node } from 'web-tree-sitter';
import type { PythonFile } from '../python-file';

/** A seed value the file declares: an argparse option, a constant, or a config dict entry. */
export interface SeedDeclaration {
  kind: 'argparse' | 'constant' | 'config';
  /** How the user refers to it: `--seed`, `SEED`, `config["seed"]`. */
  label: string;
  /** Where the finding goes: the add_argument call, the constant's name, the dict key. */
  node: Node;
  /** The declared value, as written, when there is one. */
  valueText?: string;
  /** Whether the declared value is used by anything that could apply it. */
  used: boolean | 'unknown';
}

const SEED_OPTION = /^(random_|manual_|global_|rng_)?seed$/;
const SEED_CONSTANT = /^(SEED|seed|RANDOM_SEED|random_seed|GLOBAL_SEED|MANUAL_SEED|RNG_SEED)$/;
const SEED_KEY = /^(seed|random_seed|manual_seed)$/;

/** Calls that only show a value (print it, log it, format it); passing a seed to them applies nothing. */
const DISPLAY_FUNCTIONS = new Set(['print', 'pprint', 'str', 'repr', 'format', 'len']);
const LOG_METHODS = new Set(['debug', 'info', 'warning', 'warn', 'error', 'critical', 'exception', 'log', 'write', 'set_description', 'set_postfix']);

export function seedDeclarations(file: PythonFile): SeedDeclaration[] {
  // Every declaration this looks for has "seed" in its name: skip the tree walk when the text has none.
  if (!/seed/i.test(file.text)) return [];
  return [...argparseSeeds(file), ...constantSeeds(file), ...configSeeds(file)];
}

function argparseSeeds(file: PythonFile): SeedDeclaration[] {
  const { argparse } = file;
  const found: SeedDeclaration[] = [];
  for (const option of argparse.options.values()) {
    if (!SEED_OPTION.test(option.dest)) continue;
    // Without a namespace we cannot tell where the parsed value goes (the parser is returned, say).
    if (argparse.namespaces.size === 0) continue;
    const label = option.flags.find((f) => f.startsWith('--')) ?? option.dest;
    const used = namespaceForwarded(file, argparse.namespaces) ? 'unknown' : attributeRead(file, option.dest) || stringMentioned(file, option.dest, option.call);
    found.push({ kind: 'argparse', label, node: option.call, valueText: option.defaultNode?.text, used });
  }
  return found;
}

function constantSeeds(file: PythonFile): SeedDeclaration[] {
  const found: SeedDeclaration[] = [];
  for (const [name, value] of file.constants) {
    if (!SEED_CONSTANT.test(name) || value.type !== 'integer') continue;
    const target = value.parent?.childForFieldName('left');
    if (!target) continue;
    const reads = identifierReads(file, name).filter((id) => !id.equals(target));
    const used = reads.some((id) => !onlyDisplayed(file, id));
    found.push({ kind: 'constant', label: name, node: target, valueText: value.text, used });
  }
  return found;
}

function configSeeds(file: PythonFile): SeedDeclaration[] {
  const found: SeedDeclaration[] = [];
  for (const assignment of file.assignments) {
    const left = assignment.childForFieldName('left');
    const right = assignment.childForFieldName('right');
    if (left?.type !== 'identifier' || right?.type !== 'dictionary') continue;
    for (const pair of right.namedChildren) {
      const key = pair?.type === 'pair' ? pair.childForFieldName('key') : undefined;
      const keyText = key && file.evaluate(key)?.value;
      if (!key || typeof keyText !== 'string' || !SEED_KEY.test(keyText)) continue;
      const dictUses = identifierReads(file, left.text).filter((id) => !id.equals(left));
      const forwarded = dictUses.some((id) => !subscriptedOrDisplayed(file, id));
      const used = forwarded ? 'unknown' : attributeRead(file, keyText) || stringMentioned(file, keyText, key);
      found.push({
        kind: 'config',
        label: `${left.text}["${keyText}"]`,
        node: key,
        valueText: pair!.childForFieldName('value')?.text,
        used,
      });
    }
  }
  return found;
}

/** The namespace goes somewhere we cannot follow (`train(args)` imported, `self.args = args`). */
function namespaceForwarded(file: PythonFile, namespaces: Set<string>): boolean {
  for (const name of namespaces) {
    for (const id of identifierReads(file, name)) {
      const parent = id.parent;
      if (parent?.type === 'attribute' && parent.childForFieldName('object')?.equals(id)) continue;
      if (isAssignmentTarget(id) || onlyDisplayed(file, id)) continue;
      // Passed to a function of this file: its reads of `args.seed` are in this file too.
      const call = enclosingCallOfArgument(id);
      if (call && file.localCallee(call)) continue;
      return true;
    }
  }
  return false;
}

function subscriptedOrDisplayed(file: PythonFile, id: Node): boolean {
  const parent = id.parent;
  if (parent?.type === 'subscript' && parent.childForFieldName('value')?.equals(id)) return true;
  if (parent?.type === 'attribute' && parent.childForFieldName('object')?.equals(id)) {
    return parent.childForFieldName('attribute')?.text === 'get';
  }
  return onlyDisplayed(file, id);
}

function attributeRead(file: PythonFile, attribute: string): boolean {
  return file
    .identifiersNamed(attribute)
    .some((id) => id.parent?.type === 'attribute' && id.parent.childForFieldName('attribute')?.equals(id) && !isAssignmentTarget(id.parent));
}

/** `getattr(args, "seed")`, `cfg["seed"]`, `cfg.get("seed")`: the name as a string elsewhere. */
function stringMentioned(file: PythonFile, text: string, declaration: Node): boolean {
  return file
    .nodesOfType('string_content')
    .some((s) => s.text === text && !(s.startIndex >= declaration.startIndex && s.endIndex <= declaration.endIndex));
}

function identifierReads(file: PythonFile, name: string): Node[] {
  return file.identifiersNamed(name);
}

function isAssignmentTarget(node: Node): boolean {
  const parent = node.parent;
  return (parent?.type === 'assignment' || parent?.type === 'augmented_assignment') && !!parent.childForFieldName('left')?.equals(node);
}

function enclosingCallOfArgument(node: Node): Node | undefined {
  let current: Node | null = node.parent;
  if (current?.type === 'keyword_argument' || current?.type === 'list_splat' || current?.type === 'dictionary_splat') current = current.parent;
  return current?.type === 'argument_list' && current.parent?.type === 'call' ? current.parent : undefined;
}

/** True when the value only reaches print/logging/formatting calls (and f-strings inside them). */
function onlyDisplayed(file: PythonFile, node: Node): boolean {
  let current: Node | null = node;
  for (let depth = 0; current && depth < 12; depth++) {
    const parent: Node | null = current.parent;
    if (!parent) return false;
    if (parent.type === 'argument_list' && parent.parent?.type === 'call') {
      const call: Node = parent.parent;
      const tail = file.calleeTail(call) ?? '';
      const fn = call.childForFieldName('function');
      if (fn?.type === 'identifier' && DISPLAY_FUNCTIONS.has(tail)) {
        if (tail === 'print' || tail === 'pprint') return true;
        current = call; // str(SEED) inside something else: keep looking outwards
        continue;
      }
      return fn?.type === 'attribute' && LOG_METHODS.has(tail);
    }
    if (!['interpolation', 'string', 'concatenated_string', 'keyword_argument', 'binary_operator', 'format_expression', 'parenthesized_expression'].includes(parent.type)) {
      return false;
    }
    current = parent;
  }
  return false;
}
