/**
 * The extension-host test suite's entry point (VS Code calls `run()` inside its extension host).
 * Mocha with the TDD interface; the scenario, written by the launcher next to this file, picks the
 * test files: `trusted.test.ts` in a trusted folder, `restricted.test.ts` in Restricted Mode.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import { SCENARIO_CONFIG_FILE, type ScenarioConfig, type SuiteResult, type TestOutcome } from '../result';

const TEST_FILES: Record<ScenarioConfig['scenario'], () => Promise<unknown>> = {
  trusted: () => import('./trusted.test.js'),
  restricted: () => import('./restricted.test.js'),
};

export async function run(): Promise<void> {
  const config = JSON.parse(fs.readFileSync(path.join(__dirname, SCENARIO_CONFIG_FILE), 'utf8')) as ScenarioConfig;
  const mocha = new Mocha({ ui: 'tdd', timeout: 120_000, color: false });
  const tests: TestOutcome[] = [];
  const write = (result: SuiteResult) => fs.writeFileSync(config.resultFile, JSON.stringify(result, null, 2));
  try {
    // Expose suite()/test() globals before the test files evaluate, as mocha's file loader does.
    mocha.suite.emit('pre-require', globalThis, 'suite', mocha);
    await TEST_FILES[config.scenario]();
    const failures = await new Promise<number>((resolve) => {
      const runner = mocha.run(resolve);
      runner.on('pass', (test) => tests.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration ?? 0 }));
      runner.on('fail', (test, error: Error) =>
        tests.push({ title: test.fullTitle(), state: 'failed', durationMs: test.duration ?? 0, error: error.stack ?? error.message }),
      );
    });
    const passed = tests.filter((t) => t.state === 'passed').length;
    write({ scenario: config.scenario, passed, failed: tests.length - passed, total: tests.length, tests });
    if (failures > 0) throw new Error(`${failures} test(s) failed`);
  } catch (error) {
    if (!fs.existsSync(config.resultFile)) {
      write({ scenario: config.scenario, passed: 0, failed: 1, total: 0, tests, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
    throw error;
  }
}
