/**
 * What the launcher and the in-host suite exchange through files next to the compiled suite
 * (environment variables do not reliably reach code-server's extension host).
 */
export type ScenarioName = 'trusted' | 'restricted';

/** Written by the launcher before it opens VS Code; read by the suite. */
export interface ScenarioConfig {
  scenario: ScenarioName;
  resultFile: string;
  /** When set, the suite pauses at each screenshot point NAME: it writes `${file}-NAME.ready` and waits for `${file}-NAME.done`. */
  screenshotHandshake?: string;
}

export interface TestOutcome {
  title: string;
  state: 'passed' | 'failed';
  durationMs: number;
  error?: string;
}

/** Written by the suite when mocha finishes; the launcher fails on anything but all passed. */
export interface SuiteResult {
  scenario: ScenarioName;
  passed: number;
  failed: number;
  total: number;
  tests: TestOutcome[];
  /** Set when the suite itself could not run (bad config, exception outside a test). */
  error?: string;
}

export const SCENARIO_CONFIG_FILE = 'scenario.json';
