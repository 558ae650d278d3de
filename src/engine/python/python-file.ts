import type { Node, Tree } from 'web-tree-sitter';
import type { Range } from '../finding';
import { ArgparseModel } from './argparse';
import { evaluate, type Resolved } from './values';
import type { WorkspaceContext } from './workspace-context';

/** A name bound by an import: `import torch as T` binds T to `torch`. */
export interface ImportBinding {
  local: string;
  /** Dotted name the local name stands for; relative imports keep their leading dots. */
  qualified: string;
  node: Node;
  /** True for imports at module level, false for ones inside functions or classes. */
  moduleLevel: boolean;
}

interface CalleeInfo {
  fn: Node | null;
  tail: string | undefined;
  /** Resolved dotted name; absent until first asked for. */
  name?: string | undefined;
}

/** Node types collected in one pass over the tree; rules look them up instead of walking again. */
const COLLECTED = [
  'call',
  'import_statement',
  'import_from_statement',
  'assignment',
  'function_definition',
] as const;

/**
 * The semantic layer over one parsed Python file: imports and aliases, module constants, argparse
 * defaults, call sites with the dotted names they resolve to. It never executes anything; what cannot
 * be resolved statically comes back `undefined`, and rules stay silent on it.
 */
export class PythonFile {
  readonly imports = new Map<string, ImportBinding>();
  /** Every call in document order. */
  readonly calls: Node[];
  /** Every assignment statement in document order. */
  readonly assignments: Node[];
  /** Every function (and method) definition by name; a name defined twice keeps the first. */
  readonly functions = new Map<string, Node>();
  /** Module-level `NAME = expr` bound exactly once: name → value expression. */
  readonly constants = new Map<string, Node>();
  private readonly lineStarts: number[];
  private argparseModel?: ArgparseModel;
  private topLevel?: Node[];
  private readonly byType = new Map<string, Node[]>();
  private readonly identifierIndex = new Map<string, Node[]>();
  private readonly callees = new Map<string, CalleeInfo>();
  /** Other workspace files this file's findings depend on (imported helpers); re-check when they change. */
  readonly dependencies = new Set<string>();
  /** Per-file memo for facts several rules share. */
  readonly memo = new Map<string, unknown>();

  constructor(
    readonly path: string,
    readonly text: string,
    readonly tree: Tree,
    readonly workspace: WorkspaceContext,
  ) {
    const root = tree.rootNode;
    const nodes = root.descendantsOfType([...COLLECTED]).filter((n): n is Node => n !== null);
    this.calls = nodes.filter((n) => n.type === 'call');
    this.assignments = nodes.filter((n) => n.type === 'assignment');
    for (const node of nodes) {
      if (node.type === 'import_statement') this.addImport(node);
      else if (node.type === 'import_from_statement') this.addFromImport(node);
      else if (node.type === 'function_definition') {
        const name = node.childForFieldName('name')?.text;
        if (name && !this.functions.has(name)) this.functions.set(name, node);
      }
    }
    this.collectConstants();
    this.lineStarts = computeLineStarts(text);
  }

  /** Argparse options and namespaces, built on first use (most rules never need them). */
  get argparse(): ArgparseModel {
    if (!this.argparseModel) {
      // Assigned before the model fills itself, so evaluating an option's arguments cannot recurse.
      this.argparseModel = ArgparseModel.empty(this);
      this.argparseModel.fill();
    }
    return this.argparseModel;
  }

  get root(): Node {
    return this.tree.rootNode;
  }

  /** Every node of a type in document order, collected once per file and type. */
  nodesOfType(type: string): Node[] {
    let nodes = this.byType.get(type);
    if (!nodes) {
      nodes = this.root.descendantsOfType(type).filter((n): n is Node => n !== null);
      this.byType.set(type, nodes);
    }
    return nodes;
  }

  /**
   * Every identifier spelled `name`. Found through the text (whole-word matches, then the node at
   * each offset) rather than by materialising every identifier node of the tree, which costs more.
   */
  identifiersNamed(name: string): Node[] {
    const cached = this.identifierIndex.get(name);
    if (cached) return cached;
    const found: Node[] = [];
    for (let at = this.text.indexOf(name); at >= 0; at = this.text.indexOf(name, at + name.length)) {
      if (isWordChar(this.text.charCodeAt(at - 1)) || isWordChar(this.text.charCodeAt(at + name.length))) continue;
      const node = this.root.descendantForIndex(at, at + name.length);
      if (node?.type === 'identifier' && node.startIndex === at && node.endIndex === at + name.length) found.push(node);
    }
    this.identifierIndex.set(name, found);
    return found;
  }

  /** Top-level statements in order (computed once: each access to namedChildren builds new nodes). */
  get statements(): Node[] {
    this.topLevel ??= this.root.namedChildren.filter((n): n is Node => n !== null);
    return this.topLevel;
  }

  /** Dotted name an expression stands for: `T.nn.Linear` → `torch.nn.Linear` under `import torch as T`. */
  qualifiedName(node: Node | null | undefined): string | undefined {
    const parts: string[] = [];
    let current: Node | null | undefined = node;
    for (let depth = 0; current && depth < 64; depth++) {
      if (current.type === 'attribute') {
        const attribute = current.childForFieldName('attribute');
        if (!attribute) return undefined;
        parts.unshift(attribute.text);
        current = current.childForFieldName('object');
      } else if (current.type === 'identifier') {
        const binding = this.imports.get(current.text);
        if (!binding) return undefined;
        parts.unshift(binding.qualified);
        return parts.join('.');
      } else if (current.type === 'call') {
        // `torch.Generator().manual_seed` → `torch.Generator().manual_seed`
        const callee = this.qualifiedName(current.childForFieldName('function'));
        if (!callee) return undefined;
        parts.unshift(`${callee}()`);
        return parts.join('.');
      } else if (current.type === 'parenthesized_expression') {
        current = current.namedChildren.find((c) => c !== null) ?? null;
      } else {
        return undefined;
      }
    }
    return undefined;
  }

  /** The dotted name a call's callee resolves to, if it resolves. */
  calleeName(call: Node): string | undefined {
    const info = this.callee(call);
    if (!('name' in info)) info.name = this.qualifiedName(info.fn);
    return info.name;
  }

  /** The function defined in this file that a plain `name(...)` call refers to. */
  localCallee(call: Node): Node | undefined {
    const { fn } = this.callee(call);
    if (fn?.type !== 'identifier' || this.imports.has(fn.text)) return undefined;
    return this.functions.get(fn.text);
  }

  /** The last component of a callee, resolved or not: `foo.bar.DataLoader(...)` → `DataLoader`. */
  calleeTail(call: Node): string | undefined {
    return this.callee(call).tail;
  }

  /**
   * A call's callee node and last name, computed once per call: rules ask about the same calls many
   * times, and every tree access allocates. Nested calls can share a start, never a start and an end.
   */
  private callee(call: Node): CalleeInfo {
    const key = `${call.startIndex}:${call.endIndex}`;
    let info = this.callees.get(key);
    if (!info) {
      const fn = call.childForFieldName('function');
      const tail = fn?.type === 'identifier' ? fn.text : fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
      info = { fn, tail };
      this.callees.set(key, info);
    }
    return info;
  }

  keywordArgument(call: Node, name: string): Node | undefined {
    for (const arg of argumentNodes(call)) {
      if (arg.type === 'keyword_argument' && arg.childForFieldName('name')?.text === name) {
        return arg.childForFieldName('value') ?? undefined;
      }
    }
    return undefined;
  }

  positionalArguments(call: Node): Node[] {
    return argumentNodes(call).filter(
      (a) => a.type !== 'keyword_argument' && a.type !== 'list_splat' && a.type !== 'dictionary_splat' && a.type !== 'comment',
    );
  }

  /** True when the call forwards `*args` or `**kwargs`, so any keyword may be hiding in them. */
  hasSplat(call: Node): boolean {
    return argumentNodes(call).some((a) => a.type === 'list_splat' || a.type === 'dictionary_splat');
  }

  /** Statically resolved value of an expression (literals, constants, argparse defaults, arithmetic). */
  evaluate(node: Node | null | undefined): Resolved | undefined {
    return node ? evaluate(this, node) : undefined;
  }

  range(node: Node): Range {
    return {
      start: { line: node.startPosition.row, character: node.startPosition.column },
      end: { line: node.endPosition.row, character: node.endPosition.column },
    };
  }

  /** Zero-based line of a UTF-16 offset. */
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  lineText(line: number): string {
    const start = this.lineStarts[line] ?? this.text.length;
    const end = this.lineStarts[line + 1] ?? this.text.length;
    return this.text.slice(start, end).replace(/\r?\n$/, '');
  }

  /** The line ending the file uses, so edits match it. */
  get eol(): string {
    return this.text.includes('\r\n') ? '\r\n' : '\n';
  }

  private addImport(node: Node): void {
    const moduleLevel = isModuleLevel(node);
    for (const name of node.childrenForFieldName('name')) {
      if (!name) continue;
      if (name.type === 'aliased_import') {
        const dotted = name.childForFieldName('name')?.text;
        const alias = name.childForFieldName('alias')?.text;
        if (dotted && alias) this.bind(alias, dotted, node, moduleLevel);
      } else {
        // `import torch.nn` binds `torch`; attribute access then reaches `torch.nn`.
        const first = name.text.split('.')[0];
        this.bind(first, first, node, moduleLevel);
      }
    }
  }

  private addFromImport(node: Node): void {
    const moduleLevel = isModuleLevel(node);
    const module = node.childForFieldName('module_name')?.text;
    if (!module) return;
    for (const name of node.childrenForFieldName('name')) {
      if (!name) continue;
      if (name.type === 'aliased_import') {
        const imported = name.childForFieldName('name')?.text;
        const alias = name.childForFieldName('alias')?.text;
        if (imported && alias) this.bind(alias, joinModule(module, imported), node, moduleLevel);
      } else {
        this.bind(name.text, joinModule(module, name.text), node, moduleLevel);
      }
    }
  }

  private bind(local: string, qualified: string, node: Node, moduleLevel: boolean): void {
    // The first binding wins: scripts import at the top and re-import the same thing in functions.
    if (!this.imports.has(local)) this.imports.set(local, { local, qualified, node, moduleLevel });
  }

  private collectConstants(): void {
    const counts = new Map<string, number>();
    for (const statement of this.statements) {
      if (statement.type !== 'expression_statement') continue;
      const assignment = statement.namedChildren[0];
      if (assignment?.type !== 'assignment') continue;
      const left = assignment.childForFieldName('left');
      const right = assignment.childForFieldName('right');
      if (left?.type !== 'identifier' || !right) continue;
      counts.set(left.text, (counts.get(left.text) ?? 0) + 1);
      this.constants.set(left.text, right);
    }
    for (const [name, count] of counts) if (count > 1) this.constants.delete(name);
  }
}

/** [A-Za-z0-9_] and non-ASCII (Python identifiers may be Unicode); NaN (outside the text) is not. */
function isWordChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code > 127;
}

function joinModule(module: string, name: string): string {
  return module.endsWith('.') ? module + name : `${module}.${name}`;
}

function argumentNodes(call: Node): Node[] {
  const args = call.childForFieldName('arguments');
  if (args?.type !== 'argument_list') return [];
  return args.namedChildren.filter((a): a is Node => a !== null);
}

function isModuleLevel(node: Node): boolean {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'function_definition' || p.type === 'class_definition') return false;
  }
  return true;
}

function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}
