import { MarkupKind, type Hover, type Position } from 'vscode-languageserver';
import type { Finding, Range } from '../engine/finding';
import { DEFAULT_COST_SETTINGS, modelCost, type CostSettings } from '../engine/cost/model-cost';
import { findRule } from '../engine/rules';
import type { CheckedFile } from './checker';

/**
 * Over a finding: the rule's explanation (why it matters, how to fix) below what was found. Over a
 * model construction: what it costs and every assumption behind the numbers of its code lens.
 */
export function hover(checked: CheckedFile | undefined, position: Position, cost: CostSettings = DEFAULT_COST_SETTINGS): Hover | undefined {
  const findings = checked?.result.findings.filter((f) => contains(f.range, position)) ?? [];
  const facts = checked?.result.facts;
  const models = facts?.models.filter((m) => contains(m.range, position)) ?? [];
  if (findings.length === 0 && models.length === 0) return undefined;
  const sections = [
    ...models.map((model) => {
      const { summary, details } = modelCost(model, facts!, cost);
      return [`**DL Doctor · cost estimate**: ${summary}`, details.map((line) => `- ${line}`).join('\n')].join('\n\n');
    }),
    ...findings.map(section),
  ];
  return { contents: { kind: MarkupKind.Markdown, value: sections.join('\n\n---\n\n') }, range: (findings[0] ?? models[0]).range };
}

function section(finding: Finding): string {
  const rule = findRule(finding.rule);
  const header = `**DL Doctor · ${finding.rule}** (${finding.drawback}, ${finding.severity})`;
  // The editor already shows the diagnostic's message beside this hover; add the values it rests on,
  // then the why and the how.
  const evidence = finding.evidence?.length ? finding.evidence.map((line) => `- ${line}`).join('\n') : '';
  return [header, evidence, rule?.explanation.trim() ?? ''].filter(Boolean).join('\n\n');
}

function contains(range: Range, p: Position): boolean {
  const afterStart = p.line > range.start.line || (p.line === range.start.line && p.character >= range.start.character);
  const beforeEnd = p.line < range.end.line || (p.line === range.end.line && p.character <= range.end.character);
  return afterStart && beforeEnd;
}
