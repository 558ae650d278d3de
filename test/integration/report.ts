import * as fs from 'node:fs';
import type { SuiteResult } from './result';

export type ScenarioOutcome = SuiteResult | { scenario: string; error: string };

export function readResult(file: string): SuiteResult {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as SuiteResult;
}

/** Prints a scenario's outcome; returns whether it passed completely (at least one test, none failed). */
export function report(result: ScenarioOutcome): boolean {
  if (!('tests' in result)) {
    console.log(`[${result.scenario}] FAILED: ${result.error}`);
    return false;
  }
  for (const test of result.tests) {
    console.log(`  ${test.state === 'passed' ? '✔' : '✖'} ${test.title} (${test.durationMs} ms)`);
    if (test.error) console.log(test.error.replace(/^/gm, '      '));
  }
  if (result.error) console.log(`[${result.scenario}] suite error: ${result.error}`);
  const ok = !result.error && result.failed === 0 && result.total > 0 && result.passed === result.total;
  console.log(`[${result.scenario}] ${result.passed}/${result.total} passed${ok ? '' : ' — FAILED'}`);
  return ok;
}
