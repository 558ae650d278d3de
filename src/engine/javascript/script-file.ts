import * as path from 'node:path';
import type { Node, Tree } from 'web-tree-sitter';
import type { Range } from '../finding';

/** Modules whose namespace DL Doctor follows, and the root name their members get (`tf.loadLayersModel`). */
const MODULE_ROOTS: Record<string, string> = {
  '@tensorflow/tfjs': 'tf',
  '@tensorflow/tfjs-node': 'tf',
  '@tensorflow/tfjs-node-gpu': 'tf',
  '@tensorflow/tfjs-layers': 'tf',
  '@tensorflow/tfjs-converter': 'tf',
  path: 'path',
  'node:path': 'path',
};

/** Expressions nest; bound the recursion so a generated 10,000-term concatenation cannot blow the stack. */
const MAX_DEPTH = 32;
/** JavaScript escapes that can appear in a file path, and what they stand for. */
const ESCAPES: Record<string, string> = { '\\\\': '\\', "\\'": "'", '\\"': '"', '\\`': '`', '\\/': '/' };

/**
 * The little DL Doctor needs to know about a JavaScript or TypeScript script: what its imports and
 * `require` calls bind (`tf`, `path`, `{ loadLayersModel }`), its `const` strings, and the string value
 * of path expressions (literals, templates, `+`, `__dirname`, `path.join`). Nothing is executed; what
 * cannot be resolved statically is undefined.
 */
export class ScriptFile {
  /** Local name → dotted name it stands for: `tf` → `tf`, `load` → `tf.loadLayersModel`. */
  readonly bindings = new Map<string, string>();
  /** Names declared exactly once, by `const`, with their initialiser. */
  private readonly constants = new Map<string, Node>();

  constructor(
    readonly path: string,
    readonly text: string,
    readonly tree: Tree,
  ) {
    const root = tree.rootNode;
    const declared = new Map<string, number>();
    for (const node of root.descendantsOfType(['import_statement', 'variable_declarator'])) {
      if (node?.type === 'import_statement') this.addImport(node);
      else if (node) this.addDeclarator(node, declared);
    }
    for (const [name, count] of declared) if (count > 1) this.constants.delete(name);
  }

  /**
   * Calls of a function or method with one of these names (`tf.loadLayersModel(…)`, `load(…)`), in
   * document order. Found through the text, then the node there: cheaper than visiting every call.
   */
  callsNamed(names: readonly string[]): Node[] {
    const found: Node[] = [];
    for (const name of names) {
      for (let at = this.text.indexOf(name); at >= 0; at = this.text.indexOf(name, at + name.length)) {
        const node = this.tree.rootNode.descendantForIndex(at, at + name.length);
        if (!node || node.startIndex !== at || node.endIndex !== at + name.length) continue;
        if (node.type !== 'identifier' && node.type !== 'property_identifier') continue;
        let callee = node.parent?.type === 'member_expression' && node.parent.childForFieldName('property')?.equals(node) ? node.parent : node;
        // tree-sitter-typescript reads `await f<T>(x)` as a call of `await f` (see qualifiedName).
        if (callee.parent?.type === 'await_expression') callee = callee.parent;
        const call = callee.parent;
        if (call?.type === 'call_expression' && call.childForFieldName('function')?.equals(callee)) found.push(call);
      }
    }
    return found.sort((a, b) => a.startIndex - b.startIndex);
  }

  /** `tf.io.fileSystem` for `tf.io.fileSystem` under `import * as tf from '@tensorflow/tfjs-node'`. */
  qualifiedName(node: Node | null | undefined, depth = 0): string | undefined {
    if (!node || depth > MAX_DEPTH) return undefined;
    if (node.type === 'identifier') return this.bindings.get(node.text);
    // tree-sitter-typescript reads `await f<T>(x)` as a call of `await f`; the callee is still `f`.
    if (node.type === 'await_expression') return this.qualifiedName(node.namedChildren[0], depth + 1);
    if (node.type !== 'member_expression') return undefined;
    const object = this.qualifiedName(node.childForFieldName('object'), depth + 1);
    const property = node.childForFieldName('property');
    return object && property ? `${object}.${property.text}` : undefined;
  }

  /** Positional arguments of a call, comments left out. */
  arguments(call: Node): Node[] {
    const args = call.childForFieldName('arguments');
    return args?.type === 'arguments' ? args.namedChildren.filter((a): a is Node => a !== null && a.type !== 'comment') : [];
  }

  /** The string an expression statically evaluates to, if it does. */
  stringValue(node: Node | null | undefined, depth = 0): string | undefined {
    if (!node || depth > MAX_DEPTH) return undefined;
    switch (node.type) {
      case 'string':
      case 'template_string':
        return this.stringParts(node, depth);
      case 'parenthesized_expression':
      case 'as_expression': // TypeScript: `'file://…' as string`
      case 'satisfies_expression':
      case 'non_null_expression':
        return this.stringValue(node.namedChildren.find((c) => c !== null && c.type !== 'comment'), depth + 1);
      case 'binary_expression': {
        if (node.childForFieldName('operator')?.text !== '+') return undefined;
        const left = this.stringValue(node.childForFieldName('left'), depth + 1);
        const right = left === undefined ? undefined : this.stringValue(node.childForFieldName('right'), depth + 1);
        return right === undefined ? undefined : left! + right;
      }
      case 'identifier':
        return this.identifierValue(node.text, depth);
      case 'call_expression':
        return this.pathCall(node, depth);
      default:
        return undefined;
    }
  }

  range(node: Node): Range {
    return {
      start: { line: node.startPosition.row, character: node.startPosition.column },
      end: { line: node.endPosition.row, character: node.endPosition.column },
    };
  }

  private stringParts(node: Node, depth: number): string | undefined {
    let text = '';
    for (const part of node.namedChildren) {
      if (!part) return undefined;
      let value: string | undefined;
      if (part.type === 'string_fragment') value = part.text;
      else if (part.type === 'escape_sequence') value = ESCAPES[part.text];
      else if (part.type === 'template_substitution') value = this.stringValue(part.namedChildren.find((c) => c !== null), depth + 1);
      if (value === undefined) return undefined;
      text += value;
    }
    return text;
  }

  private identifierValue(name: string, depth: number): string | undefined {
    const constant = this.constants.get(name);
    if (constant) return this.stringValue(constant, depth + 1);
    // CommonJS module globals; an ES module defines its own `__dirname` (a const, handled above) or has none.
    if (name === '__dirname') return path.dirname(this.path);
    if (name === '__filename') return this.path;
    return undefined;
  }

  /** `path.join(__dirname, 'model', 'model.json')`; `path.resolve` only when a segment is absolute (else it would use the cwd). */
  private pathCall(call: Node, depth: number): string | undefined {
    const name = this.qualifiedName(call.childForFieldName('function'));
    if (name !== 'path.join' && name !== 'path.resolve') return undefined;
    const parts: string[] = [];
    for (const arg of this.arguments(call)) {
      const value = this.stringValue(arg, depth + 1);
      if (value === undefined) return undefined;
      parts.push(value);
    }
    if (name === 'path.join' || !parts.some((p) => path.isAbsolute(p))) return parts.length ? path.join(...parts) : undefined;
    return path.resolve(...parts);
  }

  /** `import * as tf from '…'`, `import tf from '…'`, `import { loadLayersModel as load } from '…'`, TypeScript's `import tf = require('…')`. */
  private addImport(node: Node): void {
    const root = MODULE_ROOTS[this.stringValue(node.childForFieldName('source')) ?? ''];
    for (const child of node.namedChildren) {
      if (child?.type === 'import_require_clause') {
        const local = child.namedChildren.find((c) => c?.type === 'identifier');
        const required = MODULE_ROOTS[this.stringValue(child.childForFieldName('source')) ?? ''];
        if (local && required) this.bindings.set(local.text, required);
      }
      if (child?.type !== 'import_clause' || !root) continue;
      for (const part of child.namedChildren) {
        if (part?.type === 'identifier') this.bindings.set(part.text, root);
        else if (part?.type === 'namespace_import') {
          const local = part.namedChildren.find((c) => c?.type === 'identifier');
          if (local) this.bindings.set(local.text, root);
        } else if (part?.type === 'named_imports') {
          for (const specifier of part.namedChildren) {
            const imported = specifier?.childForFieldName('name')?.text;
            const local = specifier?.childForFieldName('alias')?.text ?? imported;
            if (imported && local) this.bindings.set(local, `${root}.${imported}`);
          }
        }
      }
    }
  }

  /** `const tf = require('…')`, `const { join } = require('node:path')`, and `const NAME = …` constants. */
  private addDeclarator(node: Node, declared: Map<string, number>): void {
    const name = node.childForFieldName('name');
    const value = node.childForFieldName('value');
    if (name?.type === 'identifier') declared.set(name.text, (declared.get(name.text) ?? 0) + 1);
    if (!name || !value) return;
    const required = this.requiredModule(value);
    if (required && name.type === 'identifier') this.bindings.set(name.text, required);
    else if (required && name.type === 'object_pattern') {
      for (const property of name.namedChildren) {
        if (property?.type === 'shorthand_property_identifier_pattern') this.bindings.set(property.text, `${required}.${property.text}`);
        else if (property?.type === 'pair_pattern') {
          const key = property.childForFieldName('key')?.text;
          const local = property.childForFieldName('value');
          if (key && local?.type === 'identifier') this.bindings.set(local.text, `${required}.${key}`);
        }
      }
    } else if (name.type === 'identifier' && node.parent?.type === 'lexical_declaration' && node.parent.firstChild?.text === 'const') {
      this.constants.set(name.text, value);
    }
  }

  /** The root name of `require('@tensorflow/tfjs-node')` and friends. */
  private requiredModule(value: Node): string | undefined {
    if (value.type !== 'call_expression' || value.childForFieldName('function')?.text !== 'require') return undefined;
    const [source] = this.arguments(value);
    return MODULE_ROOTS[this.stringValue(source) ?? ''];
  }
}
