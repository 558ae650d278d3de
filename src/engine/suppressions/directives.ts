import type { Node } from 'web-tree-sitter';
import type { Range } from '../finding';
import type { PythonFile } from '../python/python-file';

/**
 * `# dl-doctor: ignore[rule-a, rule-b]` and `# dl-doctor: ignore-file[rule]`, found in the comment
 * nodes tree-sitter reports (never in strings or docstrings). The directive may follow other comment
 * text on the line, e.g. `# noqa: E501  # dl-doctor: ignore[unset-seed]`.
 */
const DIRECTIVE = /dl-doctor\s*:\s*([A-Za-z][\w-]*)(\s*\[([^\]\n]*)\])?/g;

export interface SuppressedCode {
  code: string;
  /** The code's text inside the brackets. */
  range: Range;
}

export interface Directive {
  /** `ignore` (its own line), `ignore-file` (the whole file), or a word DL Doctor does not know. */
  keyword: string;
  /** Zero-based line of the comment. */
  line: number;
  codes: SuppressedCode[];
  /** Whether brackets were written at all (`ignore` alone is a blanket suppression, which is refused). */
  bracketed: boolean;
  /** From `dl-doctor` to the closing bracket. */
  range: Range;
  /** UTF-16 offset just before `]`, where another code is appended; undefined without brackets. */
  closingBracket?: Range['start'];
  /** The whole comment, and whether it is alone on its line. */
  comment: { range: Range; text: string; ownLine: boolean };
  /** For `ignore-file`: whether it sits in the comments above the first line of code, where it counts. */
  atTop: boolean;
}

/** Every DL Doctor directive of a file, in document order. */
export function findDirectives(file: PythonFile): Directive[] {
  // Most files have none: skip the walk over comment nodes when the text never names the tool.
  if (!file.text.includes('dl-doctor')) return [];
  const leading = leadingComments(file);
  const directives: Directive[] = [];
  for (const comment of file.nodesOfType('comment')) {
    for (const match of comment.text.matchAll(DIRECTIVE)) directives.push(directive(file, comment, match, leading.has(comment.startIndex)));
  }
  return directives;
}

function directive(file: PythonFile, comment: Node, match: RegExpExecArray, atTop: boolean): Directive {
  const { row, column } = comment.startPosition;
  const at = (offset: number) => ({ line: row, character: column + offset });
  const codes: SuppressedCode[] = [];
  let closingBracket: Range['start'] | undefined;
  if (match[3] !== undefined) {
    const listStart = match.index + match[0].indexOf('[') + 1;
    let offset = listStart;
    for (const part of match[3].split(',')) {
      const code = part.trim();
      const start = offset + part.indexOf(code);
      if (code) codes.push({ code, range: { start: at(start), end: at(start + code.length) } });
      offset += part.length + 1;
    }
    closingBracket = at(listStart + match[3].trimEnd().length);
  }
  const before = file.lineText(row).slice(0, column);
  return {
    keyword: match[1],
    line: row,
    codes,
    bracketed: match[3] !== undefined,
    range: { start: at(match.index), end: at(match.index + match[0].length) },
    closingBracket,
    comment: { range: file.range(comment), text: comment.text, ownLine: before.trim() === '' },
    atTop,
  };
}

/**
 * Start offsets of the comments above the first line of code (a module docstring may come first),
 * where `ignore-file` counts, as in the header of a file.
 */
function leadingComments(file: PythonFile): Set<number> {
  const starts = new Set<number>();
  let docstringSeen = false;
  for (const node of file.root.children) {
    if (!node) continue;
    if (node.type === 'comment') starts.add(node.startIndex);
    else if (!docstringSeen && isDocstring(node)) docstringSeen = true;
    else break;
  }
  return starts;
}

function isDocstring(node: Node): boolean {
  return node.type === 'expression_statement' && node.namedChildCount === 1 && node.namedChildren[0]?.type === 'string';
}
