import { ALL_RULES } from '.';

export const RULE_TABLE_START = '<!-- rule-table:start (generated from the rule metadata: npm run docs:rules) -->';
export const RULE_TABLE_END = '<!-- rule-table:end -->';

/** The README's rule table, generated from each rule's own metadata so the two cannot drift apart. */
export function ruleTableMarkdown(): string {
  const rows = ALL_RULES.map((r) => `| \`${r.code}\` | ${r.drawback} | ${r.defaultSeverity} | ${r.title} |`);
  return ['| Rule | Drawback | Default severity | What it finds |', '|---|---|---|---|', ...rows].join('\n');
}

export const THRESHOLD_TABLE_START = '<!-- threshold-table:start (generated from the rule metadata: npm run docs:rules) -->';
export const THRESHOLD_TABLE_END = '<!-- threshold-table:end -->';

/** The thresholds `[tool.dl-doctor.thresholds]` accepts, from the rules' own metadata. */
export function thresholdTableMarkdown(): string {
  const rows = ALL_RULES.flatMap((r) =>
    (r.thresholds ?? []).map((t) => `| \`${r.code}.${t.name}\` | ${formatDefault(t.default)} | ${t.description[0].toUpperCase()}${t.description.slice(1)} |`),
  );
  return ['| Threshold | Default | Meaning |', '|---|---|---|', ...rows].join('\n');
}

/** Replaces the generated tables between their markers; throws if the rule table's markers are missing. */
export function withRuleTable(readme: string): string {
  const withRules = replaceBetween(readme, RULE_TABLE_START, RULE_TABLE_END, ruleTableMarkdown());
  if (!withRules) throw new Error('README.md has no rule-table markers');
  return replaceBetween(withRules, THRESHOLD_TABLE_START, THRESHOLD_TABLE_END, thresholdTableMarkdown()) ?? withRules;
}

function replaceBetween(text: string, startMarker: string, endMarker: string, content: string): string | undefined {
  const start = text.indexOf(startMarker);
  const end = text.indexOf(endMarker);
  if (start < 0 || end < start) return undefined;
  return `${text.slice(0, start + startMarker.length)}\n${content}\n${text.slice(end)}`;
}

/** 100,000,000 with separators; fractions below 0.01 as exponents (1e-4), which toLocaleString would round to 0. */
function formatDefault(value: number): string {
  return value !== 0 && Math.abs(value) < 0.01 ? value.toExponential().replace(/\.?0+e/, 'e') : value.toLocaleString('en-US');
}
