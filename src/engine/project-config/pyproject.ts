import type * as SmolToml from 'smol-toml' with { 'resolution-mode': 'import' };
import { isRuleLevel, type RuleConfig, type RuleLevel } from '../config';
import type { Range } from '../finding';
import { ALL_RULES, findRule } from '../rules';
import { closestName } from '../closest-name';
import { TomlPositions } from './toml-positions';

// smol-toml is an ES module that also ships a CommonJS build; this package compiles to CommonJS, so
// it loads that build (esbuild bundles it) and takes the types from the ES module's declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parse, TomlError } = require('smol-toml') as typeof SmolToml;

/** The keys `[tool.dl-doctor]` accepts. */
export const CONFIG_KEYS = ['select', 'ignore', 'exclude', 'severity', 'thresholds'] as const;
const LEVELS = '"error", "warning", "info", "hint", "off"';
/** Inline tables and arrays nest; a config never needs more than a few levels. */
const MAX_TOML_DEPTH = 16;

/** An entry of `[tool.dl-doctor]` that was left out, and where it is. */
export interface ConfigProblem {
  range: Range;
  message: string;
  severity: 'error' | 'warning';
}

/** What one pyproject.toml says to DL Doctor. */
export interface ProjectConfig {
  /** Absolute path of the pyproject.toml. */
  file: string;
  /** Rules, severities and thresholds; entries with problems are left out. */
  rules: RuleConfig;
  /** Globs relative to the folder of the pyproject.toml. */
  exclude: string[];
  problems: ConfigProblem[];
}

/**
 * Reads the `[tool.dl-doctor]` table of a pyproject.toml. Returns undefined for a file that is not
 * DL Doctor's business: valid TOML without the table, or invalid TOML that never mentions it.
 */
export function parsePyproject(file: string, text: string): ProjectConfig | undefined {
  const positions = new TomlPositions(text);
  let document: Record<string, unknown>;
  try {
    document = parse(text, { maxDepth: MAX_TOML_DEPTH, unsafeKeyBehaviour: 'drop' }) as Record<string, unknown>;
  } catch (error) {
    // A broken file is ours only if it holds our table; its other tools report it to their users.
    if (!text.includes('tool.dl-doctor') && !text.includes('tool."dl-doctor"')) return undefined;
    return { file, rules: {}, exclude: [], problems: [syntaxProblem(error, positions)] };
  }
  const tool = document.tool;
  if (!isTable(tool) || !('dl-doctor' in tool)) return undefined;
  const config: ProjectConfig = { file, rules: {}, exclude: [], problems: [] };
  const table = tool['dl-doctor'];
  const reader = new ConfigReader(config, positions);
  if (!isTable(table)) reader.problem(['tool', 'dl-doctor'], `[tool.dl-doctor] must be a table; got ${describe(table)}.`);
  else reader.read(table);
  config.problems.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return config;
}

function syntaxProblem(error: unknown, positions: TomlPositions): ConfigProblem {
  if (error instanceof TomlError) {
    const reason = error.message.split('\n')[0].replace(/^Invalid TOML document:\s*/, '');
    return {
      range: positions.lineRange(error.line - 1),
      message: `pyproject.toml is not valid TOML: ${reason} (line ${error.line}, column ${error.column}). DL Doctor uses its defaults until it is fixed.`,
      severity: 'error',
    };
  }
  return { range: positions.lineRange(0), message: `pyproject.toml cannot be read: ${String(error)}`, severity: 'error' };
}

/** Validates each entry on its own, so one bad entry never costs the others. */
class ConfigReader {
  constructor(
    private readonly config: ProjectConfig,
    private readonly positions: TomlPositions,
  ) {}

  read(table: Record<string, unknown>): void {
    for (const [key, value] of Object.entries(table)) {
      const path = ['tool', 'dl-doctor', key];
      switch (key) {
        case 'select':
        case 'ignore': {
          const codes = this.ruleList(path, value);
          if (codes) this.config.rules[key] = codes;
          break;
        }
        case 'exclude': {
          const globs = this.stringList(path, value, 'glob patterns, e.g. exclude = ["data/**"]');
          if (globs) this.config.exclude = globs;
          break;
        }
        case 'severity':
          this.severities(path, value);
          break;
        case 'thresholds':
          this.thresholds(path, value);
          break;
        default:
          this.problem(path, `Unknown key \`${key}\` in [tool.dl-doctor]${suggestion(key, CONFIG_KEYS)}; valid keys: ${CONFIG_KEYS.join(', ')}.`);
      }
    }
  }

  problem(path: readonly string[], message: string, range = this.positions.key(path)): void {
    this.config.problems.push({ range, message, severity: 'warning' });
  }

  private stringList(path: string[], value: unknown, what: string): string[] | undefined {
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
      this.problem(path, `\`${path[path.length - 1]}\` must be a list of ${what}; got ${describe(value)}.`);
      return undefined;
    }
    return value as string[];
  }

  private ruleList(path: string[], value: unknown): string[] | undefined {
    const codes = this.stringList(path, value, `rule codes, e.g. ${path[path.length - 1]} = ["unset-seed"]`);
    if (!codes) return undefined;
    return codes.filter((code) => {
      if (findRule(code)) return true;
      this.problem(path, unknownRule(code, `\`${path[path.length - 1]}\``), this.positions.element(path, code));
      return false;
    });
  }

  private severities(path: string[], value: unknown): void {
    if (!isTable(value)) {
      this.problem(path, `\`severity\` must be a table of rule = level, e.g. [tool.dl-doctor.severity] unset-seed = "error"; got ${describe(value)}.`);
      return;
    }
    const levels: Record<string, RuleLevel> = {};
    for (const [code, level] of Object.entries(value)) {
      const at = [...path, code];
      if (!findRule(code)) this.problem(at, unknownRule(code, '[tool.dl-doctor.severity]'));
      else if (!isRuleLevel(level)) this.problem(at, `Severity of \`${code}\` must be one of ${LEVELS}; got ${describe(level)}.`);
      else levels[code] = level;
    }
    this.config.rules.levels = levels;
  }

  private thresholds(path: string[], value: unknown): void {
    if (!isTable(value)) {
      this.problem(path, `\`thresholds\` must be a table, e.g. [tool.dl-doctor.thresholds] high-param-count.min-parameters = 50_000_000; got ${describe(value)}.`);
      return;
    }
    const thresholds: Record<string, number> = {};
    for (const [code, entries] of Object.entries(value)) {
      const at = [...path, code];
      const rule = findRule(code);
      if (!rule) {
        this.problem(at, unknownRule(code, '[tool.dl-doctor.thresholds]'));
        continue;
      }
      const known = rule.thresholds ?? [];
      if (known.length === 0) {
        this.problem(at, `\`${code}\` has no thresholds; rules with thresholds: ${thresholdCatalogue()}.`);
        continue;
      }
      if (!isTable(entries)) {
        this.problem(at, `Thresholds of \`${code}\` must be a table, e.g. ${code}.${known[0].name} = ${known[0].default}; got ${describe(entries)}.`);
        continue;
      }
      for (const [name, number] of Object.entries(entries)) {
        const meta = known.find((t) => t.name === name);
        const where = [...at, name];
        if (!meta) {
          const names = known.map((t) => t.name);
          this.problem(where, `\`${code}\` has no threshold \`${name}\`${suggestion(name, names)}; its thresholds: ${names.join(', ')}.`);
        } else if (typeof number !== 'number' || !Number.isFinite(number)) {
          this.problem(where, `Threshold \`${code}.${name}\` must be a number (${meta.description}; default ${meta.default}); got ${describe(number)}.`);
        } else if (meta.minimum !== undefined && number < meta.minimum) {
          this.problem(where, `Threshold \`${code}.${name}\` must be at least ${meta.minimum}; got ${number}.`);
        } else {
          thresholds[`${code}.${name}`] = number;
        }
      }
    }
    this.config.rules.thresholds = thresholds;
  }
}

function unknownRule(code: string, where: string): string {
  const codes = ALL_RULES.map((r) => r.code);
  return `Unknown rule \`${code}\` in ${where}${suggestion(code, codes)}; known rules: ${codes.join(', ')}.`;
}

function suggestion(name: string, choices: readonly string[]): string {
  const near = closestName(name, choices);
  return near ? ` (did you mean \`${near}\`?)` : '';
}

function thresholdCatalogue(): string {
  return ALL_RULES.filter((r) => r.thresholds?.length)
    .map((r) => `${r.code} (${r.thresholds!.map((t) => t.name).join(', ')})`)
    .join(', ');
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** A value as a message names it: `string "1e8"`, `a list`, `a table`. */
function describe(value: unknown): string {
  if (typeof value === 'string') return `string ${JSON.stringify(value)}`;
  if (typeof value === 'number') return Number.isFinite(value) ? `number ${value}` : `${value}`;
  if (typeof value === 'boolean') return `boolean ${value}`;
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return 'a date';
  return 'a table';
}
