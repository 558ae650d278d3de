import type { Finding, Fix, TextEdit } from '../finding';
import type { PythonFile } from '../python/python-file';
import type { Directive } from './directives';

/** PEP 263: the encoding declaration must be on the first or second line. */
const ENCODING_COOKIE = /^[ \t\f]*#.*?coding[:=][ \t]*[-_.a-zA-Z0-9]+/;

/**
 * "Ignore <rule> on this line" and "Ignore <rule> in this file" for a finding: each adds the rule to
 * the directive already there, or writes a new comment the way the file writes its comments.
 */
export function ignoreFixes(file: PythonFile, finding: Finding, directives: Directive[], spacing: string): Fix[] {
  const fixes: Fix[] = [];
  const line = lineFix(file, finding.rule, [finding.range.start.line, finding.range.end.line], directives, spacing);
  if (line) fixes.push({ title: `Ignore ${finding.rule} on this line`, edits: [line] });
  fixes.push({ title: `Ignore ${finding.rule} in this file`, edits: [fileFix(file, finding.rule, directives)] });
  return fixes;
}

/**
 * What the file puts between code and a trailing comment: two spaces (PEP 8) unless most of its
 * trailing comments use one.
 */
export function commentSpacing(file: PythonFile): string {
  let one = 0;
  let more = 0;
  for (const comment of file.nodesOfType('comment')) {
    const before = file.lineText(comment.startPosition.row).slice(0, comment.startPosition.column);
    if (before.trim() === '') continue;
    if (/\S {1}$/.test(before)) one++;
    else more++;
  }
  return one > more ? ' ' : '  ';
}

/** The first of the finding's lines that can end in a comment (not inside a string, not continued with `\`). */
function lineFix(file: PythonFile, rule: string, lines: number[], directives: Directive[], spacing: string): TextEdit | undefined {
  for (const line of new Set(lines)) {
    const existing = directives.find((d) => d.keyword === 'ignore' && d.line === line && !d.comment.ownLine);
    if (existing) return appendCode(existing, rule);
    const text = file.lineText(line);
    if (text.trimEnd().endsWith('\\') || endsInsideString(file, line, text.length)) continue;
    const end = text.trimEnd().length;
    return { range: { start: { line, character: end }, end: { line, character: text.length } }, newText: `${spacing}# dl-doctor: ignore[${rule}]` };
  }
  return undefined;
}

function fileFix(file: PythonFile, rule: string, directives: Directive[]): TextEdit {
  const existing = directives.find((d) => d.keyword === 'ignore-file' && d.atTop);
  if (existing) return appendCode(existing, rule);
  // Below a shebang and an encoding declaration, which must stay on the first lines.
  let line = 0;
  if (file.lineText(line).startsWith('#!')) line++;
  if (line < 2 && ENCODING_COOKIE.test(file.lineText(line))) line++;
  const comment = `# dl-doctor: ignore-file[${rule}]`;
  const last = file.lineOf(file.text.length);
  if (line > last) {
    const end = { line: last, character: file.lineText(last).length };
    return { range: { start: end, end }, newText: `${file.eol}${comment}` };
  }
  return { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${comment}${file.eol}` };
}

/** `ignore[a]` → `ignore[a, rule]`; a bare `ignore` → `ignore[rule]`. */
function appendCode(directive: Directive, rule: string): TextEdit {
  if (!directive.closingBracket) return { range: { start: directive.range.end, end: directive.range.end }, newText: `[${rule}]` };
  const at = directive.closingBracket;
  return { range: { start: at, end: at }, newText: directive.codes.length ? `, ${rule}` : rule };
}

/** Whether the end of `line` falls inside a string that goes on to the next line (a triple-quoted one). */
function endsInsideString(file: PythonFile, line: number, column: number): boolean {
  for (let node = file.root.descendantForPosition({ row: line, column }); node; node = node.parent) {
    if (node.type === 'string' && node.endPosition.row > line && node.startPosition.row <= line) return true;
  }
  return false;
}
