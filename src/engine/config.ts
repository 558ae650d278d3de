import { SEVERITIES, type Severity } from './finding';

/** A rule's severity as configured: one of the severities, or switched off. */
export type RuleLevel = Severity | 'off';

/** Which rules run and how loud they are; the same shape for VS Code settings and the CLI. */
export interface RuleConfig {
  /** Only these rules run (all when absent or empty). */
  select?: readonly string[];
  /** These rules never run, whatever `select` says. */
  ignore?: readonly string[];
  /** Per-rule overrides of the default severity. */
  levels?: Readonly<Record<string, RuleLevel>>;
  /** Numeric thresholds by name, e.g. `high-param-count.min-parameters`. */
  thresholds?: Readonly<Record<string, number>>;
}

/** A threshold from the config, or the rule's default. */
export function threshold(config: RuleConfig | undefined, name: string, fallback: number): number {
  const value = config?.thresholds?.[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

export interface EngineLimits {
  /** Files larger than this are skipped with a message instead of being parsed. */
  maxFileBytes: number;
}

export const DEFAULT_LIMITS: EngineLimits = { maxFileBytes: 2 * 1024 * 1024 };

export function isRuleLevel(value: unknown): value is RuleLevel {
  return value === 'off' || (typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value));
}

/** A hit's severity: the user's override, else the hit's own, else the rule's default. */
export function hitSeverity(code: string, ruleDefault: Severity, hit: Severity | undefined, config: RuleConfig | undefined): Severity | undefined {
  const base = effectiveSeverity(code, ruleDefault, config);
  if (!base) return undefined;
  return config?.levels?.[code] ? base : (hit ?? base);
}

/** The severity a rule reports at under this config, or undefined when it does not run. */
export function effectiveSeverity(code: string, defaultSeverity: Severity, config: RuleConfig | undefined): Severity | undefined {
  if (config?.select?.length && !config.select.includes(code)) return undefined;
  if (config?.ignore?.includes(code)) return undefined;
  const level = config?.levels?.[code];
  if (level === 'off') return undefined;
  return level ?? defaultSeverity;
}

/**
 * Layers two configs, `override` on top: its `select` replaces the base's when given, `ignore` lists
 * add up, severities and thresholds win key by key. Project file < editor settings < command line.
 */
export function mergeRuleConfig(base: RuleConfig | undefined, override: RuleConfig | undefined): RuleConfig {
  const ignore = [...new Set([...(base?.ignore ?? []), ...(override?.ignore ?? [])])];
  const select = override?.select?.length ? override.select : base?.select;
  return {
    ...(select?.length ? { select } : {}),
    ...(ignore.length ? { ignore } : {}),
    levels: { ...base?.levels, ...override?.levels },
    thresholds: { ...base?.thresholds, ...override?.thresholds },
  };
}
