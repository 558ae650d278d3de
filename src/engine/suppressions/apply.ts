import { closestName } from '../closest-name';
import type { Finding, Fix, TextEdit } from '../finding';
import type { PythonFile } from '../python/python-file';
import { ALL_RULES, MODEL_RULES, PYTHON_RULES } from '../rules';
import type { RuleHit } from '../rules/rule';
import { unusedSuppression } from '../rules/unused-suppression';
import { findDirectives, type Directive, type SuppressedCode } from './directives';

export interface SuppressionOutcome {
  /** The findings no directive silenced. */
  kept: Finding[];
  /** `unused-suppression` hits: directives that silenced nothing, named no rule, or are misplaced. */
  unused: RuleHit[];
  directives: Directive[];
}

/**
 * Applies a file's `ignore` / `ignore-file` directives to the findings of its rules and reports the
 * directives that silenced nothing. `ran(code)` tells whether a rule ran on this file: a directive
 * for a rule switched off in the configuration is not reported, since others may run it.
 */
export function applySuppressions(file: PythonFile, findings: Finding[], ran: (code: string) => boolean): SuppressionOutcome {
  const directives = findDirectives(file);
  if (directives.length === 0) return { kept: findings, unused: [], directives };
  const used = new Set<SuppressedCode>();
  const kept = findings.filter((finding) => silence(directives, finding.rule, finding.range.start.line, finding.range.end.line, used) === 0);
  const hits: RuleHit[] = [];
  for (const directive of directives) hits.push(...directiveProblems(file, directive, findings, used, ran));
  // `ignore[unused-suppression]` / `ignore-file[unused-suppression]` keep a suppression on purpose.
  const unused = hits.filter((hit) => silence(directives, unusedSuppression.code, hit.range.start.line, hit.range.end.line, used) === 0);
  return { kept, unused, directives };
}

/** Marks the directive codes that silence `rule` on these lines as used; returns how many did. */
function silence(directives: Directive[], rule: string, startLine: number, endLine: number, used: Set<SuppressedCode>): number {
  let count = 0;
  for (const directive of directives) {
    const applies =
      (directive.keyword === 'ignore' && (directive.line === startLine || directive.line === endLine)) ||
      (directive.keyword === 'ignore-file' && directive.atTop);
    if (!applies) continue;
    for (const code of directive.codes) {
      if (code.code !== rule) continue;
      used.add(code);
      count++;
    }
  }
  return count;
}

function directiveProblems(file: PythonFile, directive: Directive, findings: Finding[], used: Set<SuppressedCode>, ran: (code: string) => boolean): RuleHit[] {
  const { keyword } = directive;
  if (keyword !== 'ignore' && keyword !== 'ignore-file') {
    return [
      {
        range: directive.range,
        message: `\`dl-doctor: ${keyword}\` is not a DL Doctor directive: use \`ignore[rule]\` for this line or \`ignore-file[rule]\` at the top of the file.`,
      },
    ];
  }
  if (directive.codes.length === 0) return [blanket(file, directive, findings)];
  if (keyword === 'ignore-file' && !directive.atTop) {
    return [
      {
        range: directive.range,
        message: '`ignore-file` counts only in the comments at the top of the file, above the first line of code; here it silences nothing. Move it to the top.',
      },
    ];
  }
  const hits: RuleHit[] = [];
  for (const code of directive.codes) {
    if (used.has(code) || code.code === unusedSuppression.code) continue;
    const remove = removal(file, directive, code);
    if (!ALL_RULES.some((r) => r.code === code.code)) {
      const near = closestName(code.code, PYTHON_RULES.map((r) => r.code));
      hits.push({
        range: code.range,
        message: `\`${code.code}\` is not a DL Doctor rule${near ? ` (did you mean \`${near}\`?)` : ''}, so nothing is silenced. \`dl-doctor rules\` lists the rules.`,
        fixes: near ? [{ title: `Change to ${near}`, edits: [{ range: code.range, newText: near }], isPreferred: true }] : [remove],
      });
    } else if (!PYTHON_RULES.some((r) => r.code === code.code)) {
      const checks = MODEL_RULES.some((r) => r.code === code.code) ? 'model files' : 'pyproject.toml';
      hits.push({ range: code.range, message: `\`${code.code}\` checks ${checks}, not Python code, so this suppression silences nothing. Remove it.`, fixes: [remove] });
    } else if (ran(code.code)) {
      hits.push({ range: code.range, message: unusedMessage(directive, code.code), fixes: [remove] });
    }
  }
  return hits;
}

function unusedMessage(directive: Directive, code: string): string {
  if (directive.keyword === 'ignore-file') return `\`ignore-file[${code}]\` silences nothing: this file has no ${code} finding. Remove it.`;
  if (directive.comment.ownLine) {
    return `\`ignore[${code}]\` silences nothing: a line suppression applies only to the line it is on, and this line has no code. Put it at the end of the flagged line.`;
  }
  return `\`ignore[${code}]\` silences nothing: this line has no ${code} finding. Remove it.`;
}

/** `# dl-doctor: ignore` without rules: refused, since it would hide every future finding on the line. */
function blanket(file: PythonFile, directive: Directive, findings: Finding[]): RuleHit {
  const here = [...new Set(findings.filter((f) => directive.keyword === 'ignore-file' || f.range.start.line === directive.line || f.range.end.line === directive.line).map((f) => f.rule))];
  const example = `${directive.keyword}[${here.length ? here.join(', ') : 'rule-code'}]`;
  const fixes: Fix[] = here.length
    ? [{ title: `Name the rules: ${example}`, edits: [{ range: { start: directive.range.start, end: directive.range.end }, newText: `dl-doctor: ${example}` }], isPreferred: true }]
    : [removal(file, directive)];
  return {
    range: directive.range,
    message: `A suppression must name the rules it silences, e.g. \`# dl-doctor: ${example}\`; without them it silences nothing.`,
    fixes,
  };
}

/** Removes one code from a directive, or the whole directive (and its comment when nothing else is in it). */
function removal(file: PythonFile, directive: Directive, code?: SuppressedCode): Fix {
  return { title: 'Remove unused suppression', edits: [removalEdit(file, directive, code)] };
}

function removalEdit(file: PythonFile, directive: Directive, code?: SuppressedCode): TextEdit {
  const codes = directive.codes;
  const index = code ? codes.indexOf(code) : -1;
  if (code && codes.length > 1) {
    // `a, b, c` → drop `b, ` (or `, c` for the last one).
    const range = index < codes.length - 1 ? { start: code.range.start, end: codes[index + 1].range.start } : { start: codes[index - 1].range.end, end: code.range.end };
    return { range, newText: '' };
  }
  const { comment } = directive;
  const line = directive.line;
  const base = comment.range.start.character;
  const startInComment = directive.range.start.character - base;
  const endInComment = directive.range.end.character - base;
  const before = comment.text.slice(0, startInComment);
  const after = comment.text.slice(endInComment);
  if (before.trim() === '#' && after.trim() === '') {
    if (comment.ownLine) {
      const last = line === file.lineOf(file.text.length);
      return { range: { start: { line, character: 0 }, end: last ? comment.range.end : { line: line + 1, character: 0 } }, newText: '' };
    }
    const codeEnd = file.lineText(line).slice(0, base).trimEnd().length;
    return { range: { start: { line, character: codeEnd }, end: comment.range.end }, newText: '' };
  }
  if (before.trim() === '#') {
    // `# dl-doctor: ignore[x]  # noqa` → `# noqa`
    const rest = after.match(/^\s*#?\s*/)![0].length;
    return { range: { start: { line, character: base + before.length }, end: { line, character: base + endInComment + rest } }, newText: '' };
  }
  // `# noqa  # dl-doctor: ignore[x]` → `# noqa`
  const lead = before.match(/\s*#?\s*$/)![0].length;
  return { range: { start: { line, character: base + startInComment - lead }, end: directive.range.end }, newText: '' };
}
