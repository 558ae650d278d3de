import { ALL_RULES } from '.';

export const RULE_TABLE_START = '<!-- rule-table:start (generated from the rule metadata: npm run docs:rules) -->';
export const RULE_TABLE_END = '<!-- rule-table:end -->';

/** The README's rule table, generated from each rule's own metadata so the two cannot drift apart. */
export function ruleTableMarkdown(): string {
  const rows = ALL_RULES.map((r) => `| \`${r.code}\` | ${r.drawback} | ${r.defaultSeverity} | ${r.title} |`);
  return ['| Rule | Drawback | Default severity | What it finds |', '|---|---|---|---|', ...rows].join('\n');
}

/** Replaces the table between the markers; throws if the markers are missing. */
export function withRuleTable(readme: string): string {
  const start = readme.indexOf(RULE_TABLE_START);
  const end = readme.indexOf(RULE_TABLE_END);
  if (start < 0 || end < start) throw new Error('README.md has no rule-table markers');
  return `${readme.slice(0, start + RULE_TABLE_START.length)}\n${ruleTableMarkdown()}\n${readme.slice(end)}`;
}
