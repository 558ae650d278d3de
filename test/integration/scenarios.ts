import type { ScenarioName } from './result';

export interface Scenario {
  name: ScenarioName;
  /** Trusted folders open with Workspace Trust disabled; restricted ones open in Restricted Mode. */
  trusted: boolean;
  /** Fixture folder copied to a temporary workspace, so tests may edit its files. */
  workspace: string;
}

export const SCENARIOS: readonly Scenario[] = [
  { name: 'trusted', trusted: true, workspace: 'test/fixtures/integration-workspace' },
  { name: 'restricted', trusted: false, workspace: 'test/fixtures/integration-workspace' },
];

/** User settings for a scenario: quiet, offline, and trusted only when the scenario says so. */
export function userSettings(scenario: Scenario): Record<string, unknown> {
  return {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    ...(scenario.trusted ? { 'security.workspace.trust.enabled': false } : {}),
  };
}
