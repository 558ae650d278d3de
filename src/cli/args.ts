import { SEVERITIES, type Severity } from '../engine/finding';

export type OutputFormat = 'text' | 'json' | 'sarif';

export type CliCommand =
  | { command: 'check'; paths: string[]; format: OutputFormat; select: string[]; ignore: string[]; failOn: Severity | 'none'; exclude: string[] }
  | { command: 'explain'; rule: string }
  | { command: 'rules' }
  | { command: 'help' }
  | { command: 'version' };

/** A command line that cannot be understood; the CLI prints it with the usage and exits 2. */
export class UsageError extends Error {}

export const USAGE = `Usage:
  dl-doctor check PATH... [--format text|json|sarif] [--select RULE,...] [--ignore RULE,...] [--fail-on SEVERITY] [--exclude GLOB]...
  dl-doctor explain RULE
  dl-doctor rules
  dl-doctor --help | --version

check     analyse Python training scripts under each PATH (files or folders)
  --format    text (default, grouped by drawback), json, or sarif (SARIF 2.1.0)
  --select    only run these rules (comma-separated codes; replaces select in pyproject.toml)
  --ignore    never run these rules (comma-separated codes; added to ignore in pyproject.toml)
  --fail-on   lowest severity that makes the exit code 1: error, warning (default), info, hint, none
  --exclude   glob of files/folders to skip, relative to each PATH (repeatable)
Settings come from the [tool.dl-doctor] table of the nearest pyproject.toml above each file.
explain   print a rule's explanation (markdown)
rules     list every rule with its drawback and default severity

Exit codes: 0 no finding at or above --fail-on, 1 findings at or above it, 2 usage or I/O error.`;

export function parseArgs(argv: readonly string[]): CliCommand {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      return { command: 'help' };
    case '-V':
    case '--version':
      return { command: 'version' };
    case 'rules':
      if (rest.length) throw new UsageError(`'rules' takes no arguments, got: ${rest.join(' ')}`);
      return { command: 'rules' };
    case 'explain':
      if (rest.length !== 1) throw new UsageError("'explain' takes exactly one rule code, e.g. dl-doctor explain unset-seed");
      return { command: 'explain', rule: rest[0] };
    case 'check':
      return parseCheck(rest);
    default:
      throw new UsageError(`unknown command '${command}'`);
  }
}

function parseCheck(args: readonly string[]): CliCommand {
  const paths: string[] = [];
  const select: string[] = [];
  const ignore: string[] = [];
  const exclude: string[] = [];
  let format: OutputFormat = 'text';
  let failOn: Severity | 'none' = 'warning';
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? args[++i];
      if (v === undefined || v === '') throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--format': {
        const v = value();
        if (v !== 'text' && v !== 'json' && v !== 'sarif') throw new UsageError(`--format must be text, json or sarif, got '${v}'`);
        format = v;
        break;
      }
      case '--select':
        select.push(...value().split(',').map((s) => s.trim()).filter(Boolean));
        break;
      case '--ignore':
        ignore.push(...value().split(',').map((s) => s.trim()).filter(Boolean));
        break;
      case '--exclude':
        exclude.push(value());
        break;
      case '--fail-on': {
        const v = value();
        if (v !== 'none' && !(SEVERITIES as readonly string[]).includes(v)) {
          throw new UsageError(`--fail-on must be one of ${SEVERITIES.join(', ')}, none; got '${v}'`);
        }
        failOn = v as Severity | 'none';
        break;
      }
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option '${arg}'`);
        paths.push(arg);
    }
  }
  if (paths.length === 0) throw new UsageError("'check' needs at least one PATH");
  return { command: 'check', paths, format, select, ignore, failOn, exclude };
}
