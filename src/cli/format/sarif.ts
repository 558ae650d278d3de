import { pathToFileURL } from 'node:url';
import type { Finding, Severity } from '../../engine/finding';
import { ALL_RULES } from '../../engine/rules';
import type { CheckReport } from '../check';
import { relative } from './text';

/** SARIF has three result levels; info and hint both become "note". */
const LEVELS: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/**
 * SARIF 2.1.0 (OASIS), as GitHub code scanning and other CI viewers read it. Columns are UTF-16 code
 * units, SARIF's default `columnKind`; paths are relative to %SRCROOT% (the working folder).
 */
export function formatSarif(report: CheckReport, version: string): string {
  const rules = ALL_RULES.map((rule) => ({
    id: rule.code,
    name: rule.code.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase()),
    shortDescription: { text: rule.title },
    fullDescription: { text: firstParagraph(rule.explanation) },
    help: { text: rule.explanation.trim(), markdown: rule.explanation.trim() },
    defaultConfiguration: { level: LEVELS[rule.defaultSeverity] },
    properties: { drawback: rule.drawback, tags: [rule.drawback, 'deep-learning'] },
  }));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'DL Doctor', semanticVersion: version, version, rules } },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(report.cwd + '/').href } },
        results: report.findings.map((f) => result(f, report.cwd, index.get(f.rule))),
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: report.skipped.map((s) => ({
              level: 'warning',
              message: { text: `skipped: ${s.reason}` },
              locations: [{ physicalLocation: { artifactLocation: { uri: encodeUri(relative(report.cwd, s.file)), uriBaseId: '%SRCROOT%' } } }],
            })),
          },
        ],
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

function result(f: Finding, cwd: string, ruleIndex: number | undefined) {
  return {
    ruleId: f.rule,
    ...(ruleIndex !== undefined ? { ruleIndex } : {}),
    level: LEVELS[f.severity],
    message: { text: f.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: encodeUri(relative(cwd, f.file)), uriBaseId: '%SRCROOT%' },
          region: {
            startLine: f.range.start.line + 1,
            startColumn: f.range.start.character + 1,
            endLine: f.range.end.line + 1,
            endColumn: f.range.end.character + 1,
          },
        },
      },
    ],
    properties: { drawback: f.drawback },
  };
}

function encodeUri(relativePath: string): string {
  return relativePath.startsWith('/') ? pathToFileURL(relativePath).href : relativePath.split('/').map(encodeURIComponent).join('/');
}

function firstParagraph(markdown: string): string {
  return markdown.trim().split(/\n\s*\n/)[0].replace(/\s+/g, ' ');
}
