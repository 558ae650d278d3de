import type { Node } from 'web-tree-sitter';
import type { PythonFile } from './python-file';
import { evaluate, type Resolved } from './values';

/** One `parser.add_argument(...)` option. */
export interface ArgparseOption {
  /** Attribute name on the parsed namespace (`--num-workers` → `num_workers`). */
  dest: string;
  /** The option strings as written, e.g. `--seed`. */
  flags: string[];
  call: Node;
  defaultNode?: Node;
  /** `store_true` and friends have implicit defaults. */
  action?: string;
}

const NAMESPACE_PRODUCERS = new Set(['parse_args', 'parse_known_args']);

/**
 * Argparse options declared in a file and the names that hold the parsed namespace, so that
 * `args.lr` resolves to the `--lr` default. Options parsed by a helper (`args = get_args()`) resolve
 * too when the helper is defined in the same file and calls `parse_args`.
 */
export class ArgparseModel {
  readonly options = new Map<string, ArgparseOption>();
  /** Names bound to a parsed namespace (`args`, `opt`, `FLAGS` ...). */
  readonly namespaces = new Set<string>();

  private constructor(private readonly file: PythonFile) {}

  static empty(file: PythonFile): ArgparseModel {
    return new ArgparseModel(file);
  }

  fill(): void {
    if (!this.file.text.includes('add_argument')) return; // most modules declare no options
    for (const call of this.file.calls) {
      if (this.file.calleeTail(call) === 'add_argument') this.addOption(call);
    }
    if (this.options.size > 0) this.findNamespaces();
  }

  /** Resolves `args.x` to the default of option `x`; anything else is unknown. */
  resolveAttribute(node: Node, depth: number): Resolved | undefined {
    const object = node.childForFieldName('object');
    const attribute = node.childForFieldName('attribute')?.text;
    if (object?.type !== 'identifier' || !attribute || !this.namespaces.has(object.text)) return undefined;
    const option = this.options.get(attribute);
    if (!option) return undefined;
    const flag = option.flags.find((f) => f.startsWith('--')) ?? option.flags[0] ?? attribute;
    const via = `${flag} default (line ${option.call.startPosition.row + 1})`;
    if (option.action === 'store_true') return { value: false, via };
    if (option.action === 'store_false') return { value: true, via };
    if (!option.defaultNode) return { value: null, via };
    const value = evaluate(this.file, option.defaultNode, depth + 1);
    return value && { value: value.value, via };
  }

  private addOption(call: Node): void {
    const flags: string[] = [];
    for (const arg of this.file.positionalArguments(call)) {
      const value = this.file.evaluate(arg)?.value;
      if (typeof value === 'string') flags.push(value);
    }
    const destNode = this.file.keywordArgument(call, 'dest');
    const explicitDest = destNode && this.file.evaluate(destNode)?.value;
    const long = flags.find((f) => f.startsWith('--')) ?? flags.find((f) => !f.startsWith('-')) ?? flags[0];
    const dest = typeof explicitDest === 'string' ? explicitDest : long?.replace(/^-+/, '').replace(/-/g, '_');
    if (!dest) return;
    const actionNode = this.file.keywordArgument(call, 'action');
    const action = actionNode && this.file.evaluate(actionNode)?.value;
    this.options.set(dest, {
      dest,
      flags,
      call,
      defaultNode: this.file.keywordArgument(call, 'default'),
      action: typeof action === 'string' ? action : undefined,
    });
  }

  private findNamespaces(): void {
    // Functions that return a parsed namespace: `def get_args(): ...; return parser.parse_args()`.
    const helpers = new Set<string>();
    for (const call of this.file.calls) {
      if (!NAMESPACE_PRODUCERS.has(this.file.calleeTail(call) ?? '')) continue;
      for (let p = call.parent; p; p = p.parent) {
        if (p.type === 'function_definition') {
          const name = p.childForFieldName('name')?.text;
          if (name) helpers.add(name);
          break;
        }
      }
    }
    for (const assignment of this.file.assignments) {
      const right = assignment.childForFieldName('right');
      if (right?.type !== 'call') continue;
      const tail = this.file.calleeTail(right) ?? '';
      if (!NAMESPACE_PRODUCERS.has(tail) && !helpers.has(tail)) continue;
      const left = assignment.childForFieldName('left');
      // `args = parser.parse_args()` or `args, unknown = parser.parse_known_args()`
      const target = left?.type === 'identifier' ? left : left?.namedChildren.find((c) => c?.type === 'identifier');
      if (target) this.namespaces.add(target.text);
    }
  }
}
