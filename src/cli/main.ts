import { Engine } from '../engine/engine';
import { severityRank } from '../engine/finding';
import { ALL_RULES, findRule } from '../engine/rules';
import { parseArgs, USAGE, UsageError, type CliCommand } from './args';
import { InputError, runCheck } from './check';
import { formatJson } from './format/json';
import { formatSarif } from './format/sarif';
import { formatText } from './format/text';

declare const DL_DOCTOR_VERSION: string | undefined;
const VERSION = typeof DL_DOCTOR_VERSION === 'string' ? DL_DOCTOR_VERSION : '0.0.0-dev';

/** Runs the CLI and returns its exit code: 0 clean, 1 findings at/above --fail-on, 2 usage or I/O error. */
export async function main(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  let command: CliCommand;
  try {
    command = parseArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      err(`dl-doctor: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
  switch (command.command) {
    case 'help':
      out(`${USAGE}\n`);
      return 0;
    case 'version':
      out(`${VERSION}\n`);
      return 0;
    case 'rules':
      out(rulesTable());
      return 0;
    case 'explain': {
      const rule = findRule(command.rule);
      if (!rule) {
        err(`dl-doctor: unknown rule '${command.rule}'. Known rules: ${ALL_RULES.map((r) => r.code).join(', ')}\n`);
        return 2;
      }
      out(`# ${rule.code}: ${rule.title}\n\nDrawback: ${rule.drawback} · default severity: ${rule.defaultSeverity}\n${rule.explanation}`);
      return 0;
    }
    case 'check': {
      for (const flag of ['select', 'ignore'] as const) {
        const unknown = command[flag].filter((code) => !findRule(code));
        if (unknown.length) {
          err(`dl-doctor: unknown rule${unknown.length > 1 ? 's' : ''} in --${flag}: ${unknown.join(', ')}. Run 'dl-doctor rules' for the list.\n`);
          return 2;
        }
      }
      const engine = await Engine.create();
      let report;
      try {
        report = await runCheck(engine, command.paths, command);
      } catch (error) {
        if (error instanceof InputError) {
          err(`dl-doctor: ${error.message}\n`);
          return 2;
        }
        throw error;
      }
      if (command.format === 'json') out(formatJson(report, VERSION));
      else if (command.format === 'sarif') out(formatSarif(report, VERSION));
      else out(formatText(report));
      if (command.format !== 'text') for (const skip of report.skipped) err(`dl-doctor: skipped ${skip.file}: ${skip.reason}\n`);
      const failOn = command.failOn;
      const failing = failOn !== 'none' && report.findings.some((f) => severityRank(f.severity) <= severityRank(failOn));
      return failing ? 1 : 0;
    }
  }
}

function rulesTable(): string {
  const rows = ALL_RULES.map((r) => [r.code, r.drawback, r.defaultSeverity, r.title]);
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i].length), ['rule', 'drawback', 'severity'][i].length));
  const line = (cells: string[]) => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c)).join('  ');
  return [line(['rule', 'drawback', 'severity', 'title']), ...rows.map(line)].join('\n') + '\n';
}
