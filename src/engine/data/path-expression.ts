import * as path from 'node:path';
import type { Node } from 'web-tree-sitter';
import type { PythonFile } from '../python/python-file';

/** A file path an expression names, as written (relative paths stay relative) and where it came from. */
export interface PathValue {
  /** A POSIX-style path; relative ones are resolved later against the working directory candidates. */
  value: string;
  /** Evidence: a constant or argparse default the path came from. */
  via?: string;
}

const MAX_DEPTH = 24;

/**
 * Resolves a path expression statically: string literals, constants and argparse defaults (through
 * `PythonFile.evaluate`), `os.path.join(a, b, ...)`, `pathlib.Path(a, b) / "c"`, `str(p)`, and
 * `os.path.dirname(__file__)` / `Path(__file__).parent` for the script's own folder (absolute).
 * Anything else (f-strings, environment variables, function results) does not resolve.
 */
export function resolvePath(file: PythonFile, node: Node | null | undefined, depth = 0): PathValue | undefined {
  if (!node || depth > MAX_DEPTH) return undefined;
  const plain = file.evaluate(node);
  if (plain) return typeof plain.value === 'string' ? { value: plain.value, via: plain.via } : undefined;
  if (node.type === 'identifier') {
    if (node.text === '__file__') return { value: file.path };
    const value = file.constants.get(node.text);
    const resolved = value && resolvePath(file, value, depth + 1);
    return resolved && { value: resolved.value, via: resolved.via ?? `${node.text} (line ${value!.startPosition.row + 1})` };
  }
  if (node.type === 'parenthesized_expression') return resolvePath(file, node.namedChildren.find((c) => c?.type !== 'comment'), depth + 1);
  if (node.type === 'binary_operator' && node.childForFieldName('operator')?.text === '/') {
    const left = resolvePath(file, node.childForFieldName('left'), depth + 1);
    const right = left && resolvePath(file, node.childForFieldName('right'), depth + 1);
    return right && join(left, right);
  }
  if (node.type === 'attribute') {
    // `Path(__file__).parent`, `Path(__file__).resolve().parent`
    const attribute = node.childForFieldName('attribute')?.text;
    const object = resolvePath(file, node.childForFieldName('object'), depth + 1);
    if (attribute === 'parent' && object && path.isAbsolute(object.value)) return { value: path.dirname(object.value), via: object.via };
    return undefined;
  }
  if (node.type !== 'call') return undefined;
  const name = file.calleeName(node);
  const args = file.positionalArguments(node);
  if (name === 'os.path.join' || name === 'posixpath.join' || name === 'pathlib.Path' || name === 'pathlib.PurePath' || name === 'pathlib.PosixPath') {
    if (args.length === 0 || file.hasSplat(node)) return name.startsWith('pathlib') && args.length === 0 ? { value: '.' } : undefined;
    let acc: PathValue | undefined;
    for (const arg of args) {
      const part = resolvePath(file, arg, depth + 1);
      if (!part) return undefined;
      acc = acc ? join(acc, part) : part;
    }
    return acc;
  }
  if (name === 'os.path.dirname') {
    const inner = resolvePath(file, args[0], depth + 1);
    return inner && { value: path.posix.dirname(inner.value), via: inner.via };
  }
  if (name === 'os.path.abspath' || name === 'os.path.realpath' || name === 'os.path.expanduser') {
    const inner = resolvePath(file, args[0], depth + 1);
    return inner && (name !== 'os.path.expanduser' || !inner.value.startsWith('~')) ? inner : undefined;
  }
  const fn = node.childForFieldName('function');
  if (fn?.type === 'identifier' && fn.text === 'str' && args.length === 1) return resolvePath(file, args[0], depth + 1);
  // `p.resolve()`, `p.absolute()` keep the path.
  if (fn?.type === 'attribute' && args.length === 0 && ['resolve', 'absolute', 'expanduser'].includes(fn.childForFieldName('attribute')?.text ?? '')) {
    const inner = resolvePath(file, fn.childForFieldName('object'), depth + 1);
    return inner && !inner.value.startsWith('~') ? inner : undefined;
  }
  return undefined;
}

/** Python's join: an absolute right side replaces the left. */
function join(left: PathValue, right: PathValue): PathValue {
  const value = path.posix.isAbsolute(right.value) ? right.value : path.posix.join(left.value, right.value);
  const via = [left.via, right.via].filter(Boolean).join(', ');
  return via ? { value, via } : { value };
}
