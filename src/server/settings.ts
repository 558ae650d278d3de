import { isRuleLevel, type RuleConfig, type RuleLevel } from '../engine/config';
import { DEFAULT_MAX_ABS, MAX_ABS_SETTING } from '../engine/rules/exploding-weights';
import { DEFAULT_MIN_PARAMETERS, MIN_PARAMETERS_SETTING } from '../engine/rules/high-param-count';
import { isGpuId } from '../engine/cost/gpus';
import { DEFAULT_COST_SETTINGS, type CostSettings } from '../engine/cost/model-cost';
import { findRule } from '../engine/rules';

/** The `dlDoctor.*` settings the server reads, per workspace folder. Add one here and in package.json. */
export interface ServerSettings {
  enable: boolean;
  exclude: string[];
  rules: Record<string, RuleLevel>;
  maxFileSizeMB: number;
  /** `dlDoctor.highParamCount.minParameters`. */
  highParamCountMinParameters: number;
  /** `dlDoctor.explodingWeights.maxAbs`. */
  explodingWeightsMaxAbs: number;
  /** `dlDoctor.cost.gpu` and `dlDoctor.cost.gridIntensity`: what the cost lens assumes. */
  cost: CostSettings;
  /** `dlDoctor.thresholds`: any rule threshold by its `code.name`, as in pyproject.toml. */
  thresholds: Record<string, number>;
}

export const DEFAULT_SETTINGS: ServerSettings = { enable: true, exclude: [], rules: {}, maxFileSizeMB: 2, highParamCountMinParameters: DEFAULT_MIN_PARAMETERS, explodingWeightsMaxAbs: DEFAULT_MAX_ABS, cost: DEFAULT_COST_SETTINGS, thresholds: {} };

/** Validates what the client sent; anything malformed falls back to the default for that key. */
export function parseSettings(raw: unknown, log: (message: string) => void): ServerSettings {
  if (typeof raw !== 'object' || raw === null) return DEFAULT_SETTINGS;
  const value = raw as Record<string, unknown>;
  const settings: ServerSettings = { ...DEFAULT_SETTINGS, rules: {}, thresholds: {} };
  if (typeof value.enable === 'boolean') settings.enable = value.enable;
  if (Array.isArray(value.exclude)) settings.exclude = value.exclude.filter((g): g is string => typeof g === 'string');
  if (typeof value.maxFileSizeMB === 'number' && value.maxFileSizeMB > 0) settings.maxFileSizeMB = value.maxFileSizeMB;
  const highParamCount = value.highParamCount as Record<string, unknown> | undefined;
  if (typeof highParamCount?.minParameters === 'number' && highParamCount.minParameters >= 0) {
    settings.highParamCountMinParameters = highParamCount.minParameters;
  }
  const explodingWeights = value.explodingWeights as Record<string, unknown> | undefined;
  if (typeof explodingWeights?.maxAbs === 'number' && explodingWeights.maxAbs > 0) settings.explodingWeightsMaxAbs = explodingWeights.maxAbs;
  const cost = value.cost as Record<string, unknown> | undefined;
  if (cost?.gpu !== undefined) {
    if (isGpuId(cost.gpu)) settings.cost = { ...settings.cost, gpu: cost.gpu };
    else log(`ignoring dlDoctor.cost.gpu: ${JSON.stringify(cost.gpu)} is not one of the GPUs DL Doctor knows`);
  }
  if (typeof cost?.gridIntensity === 'number' && cost.gridIntensity >= 0 && Number.isFinite(cost.gridIntensity)) settings.cost = { ...settings.cost, gridIntensity: cost.gridIntensity };
  if (typeof value.rules === 'object' && value.rules !== null) {
    for (const [code, level] of Object.entries(value.rules)) {
      if (isRuleLevel(level)) settings.rules[code] = level;
      else log(`ignoring dlDoctor.rules.${code}: expected error, warning, info, hint or off, got ${JSON.stringify(level)}`);
    }
  }
  if (typeof value.thresholds === 'object' && value.thresholds !== null) {
    for (const [key, number] of Object.entries(value.thresholds)) {
      const problem = thresholdProblem(key, number);
      if (problem) log(`ignoring dlDoctor.thresholds["${key}"]: ${problem}`);
      else settings.thresholds[key] = number as number;
    }
  }
  return settings;
}

/** Why a `dlDoctor.thresholds` entry cannot be used, or undefined when it can (the rules' own metadata decides). */
function thresholdProblem(key: string, number: unknown): string | undefined {
  const dot = key.indexOf('.');
  const rule = dot > 0 ? findRule(key.slice(0, dot)) : undefined;
  if (!rule) return 'expected "rule-code.threshold-name", e.g. "lr-out-of-range.max-finetune-lr"';
  const meta = rule.thresholds?.find((t) => t.name === key.slice(dot + 1));
  if (!meta) return `${rule.code} has ${rule.thresholds?.length ? `the thresholds ${rule.thresholds.map((t) => t.name).join(', ')}` : 'no thresholds'}`;
  if (typeof number !== 'number' || !Number.isFinite(number)) return `expected a number (${meta.description}), got ${JSON.stringify(number)}`;
  if (meta.minimum !== undefined && number < meta.minimum) return `must be at least ${meta.minimum}, got ${number}`;
  return undefined;
}

/**
 * The engine's view of the settings: severities and thresholds. A threshold left at its default is
 * left out, so that a value from pyproject.toml is not overridden by a setting nobody changed (the
 * client sends defaults and user values alike).
 */
export function ruleConfig(settings: ServerSettings): RuleConfig {
  const thresholds: Record<string, number> = {};
  if (settings.highParamCountMinParameters !== DEFAULT_MIN_PARAMETERS) thresholds[MIN_PARAMETERS_SETTING] = settings.highParamCountMinParameters;
  if (settings.explodingWeightsMaxAbs !== DEFAULT_MAX_ABS) thresholds[MAX_ABS_SETTING] = settings.explodingWeightsMaxAbs;
  // Entries of dlDoctor.thresholds are always the user's own (its default is empty): they win.
  Object.assign(thresholds, settings.thresholds);
  return { levels: settings.rules, thresholds };
}
