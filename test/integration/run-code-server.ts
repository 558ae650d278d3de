/**
 * Runs the extension-host suite inside a real VS Code on this offline machine: code-server 4.100.3
 * (VS Code 1.100.3) driven by headless Chromium. Installs the packaged dist/dl-doctor.vsix into a
 * fresh profile per scenario, so the test sees exactly what users install. Fails loudly — never
 * skips — on anything but a complete, all-passed result from every scenario.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { launchBrowser, testUrl } from './host/browser';
import { ensureHost, installExtension, startHost, type RunningHost } from './host/code-server';
import { buildSuite, SUITE_DIR } from './build-suite';
import { SCENARIO_CONFIG_FILE, type ScenarioConfig, type SuiteResult } from './result';
import { SCENARIOS, userSettings, type Scenario } from './scenarios';

const REPO = path.resolve(__dirname, '../..');
const VSIX = path.join(REPO, 'dist/dl-doctor.vsix');
const DEV_EXTENSION = path.join(__dirname, 'host-extension');
const SCENARIO_TIMEOUT_MS = 6 * 60_000;

async function main(): Promise<number> {
  if (!fs.existsSync(VSIX)) throw new Error(`${VSIX} is missing: run \`npm run package\` first`);
  ensureHost();
  const suite = await buildSuite();
  const only = process.env.DL_DOCTOR_SCENARIO;
  const scenarios = SCENARIOS.filter((s) => !only || s.name === only);
  if (scenarios.length === 0) throw new Error(`no scenario named '${only}'; known: ${SCENARIOS.map((s) => s.name).join(', ')}`);
  let failed = false;
  for (const scenario of scenarios) {
    const result = await runScenario(scenario, suite);
    failed ||= !report(result);
  }
  return failed ? 1 : 0;
}

async function runScenario(scenario: Scenario, suite: string): Promise<SuiteResult | { scenario: string; error: string }> {
  const started = Date.now();
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), `dl-doctor-${scenario.name}-`));
  const userDataDir = path.join(temp, 'user');
  const extensionsDir = path.join(temp, 'ext');
  const workspace = path.join(temp, 'workspace');
  fs.cpSync(path.join(REPO, scenario.workspace), workspace, { recursive: true });
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(userSettings(scenario), null, 2));
  installExtension(VSIX, userDataDir, extensionsDir);

  const resultFile = path.join(temp, 'result.json');
  const config: ScenarioConfig = { scenario: scenario.name, resultFile };
  fs.writeFileSync(path.join(SUITE_DIR, SCENARIO_CONFIG_FILE), JSON.stringify(config));

  console.log(`\n[${scenario.name}] starting VS Code (code-server) on ${workspace}`);
  let host: RunningHost | undefined;
  const browser = await launchBrowser();
  try {
    host = await startHost(workspace, userDataDir, extensionsDir);
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(testUrl(host.port, workspace, DEV_EXTENSION, suite));
    const deadline = Date.now() + SCENARIO_TIMEOUT_MS;
    while (!fs.existsSync(resultFile)) {
      if (Date.now() > deadline) {
        return { scenario: scenario.name, error: `no result within ${SCENARIO_TIMEOUT_MS / 1000} s\n${diagnostics(host, userDataDir, pageErrors)}` };
      }
      if (host.process.exitCode !== null) {
        return { scenario: scenario.name, error: `code-server exited with ${host.process.exitCode}\n${diagnostics(host, userDataDir, pageErrors)}` };
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const result = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as SuiteResult;
    console.log(`[${scenario.name}] finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (result.failed > 0 || result.error) console.log(diagnostics(host, userDataDir, pageErrors));
    return result;
  } finally {
    await browser.close().catch(() => undefined);
    await host?.stop();
    fs.rmSync(temp, { recursive: true, force: true });
  }
}

/** Prints a scenario's outcome; returns whether it passed completely. */
function report(result: SuiteResult | { scenario: string; error: string }): boolean {
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

/** The logs a reader needs when a scenario fails: code-server's output, the extension host's log. */
function diagnostics(host: RunningHost, userDataDir: string, pageErrors: string[]): string {
  const lines = [`--- code-server output (tail) ---`, host.log.join('').split('\n').slice(-40).join('\n')];
  for (const file of findFiles(path.join(userDataDir, 'logs'), /(exthost|remoteexthost|dlDoctor|DL Doctor).*\.log$/)) {
    lines.push(`--- ${path.relative(userDataDir, file)} (tail) ---`, fs.readFileSync(file, 'utf8').split('\n').slice(-60).join('\n'));
  }
  if (pageErrors.length) lines.push('--- browser page errors ---', ...pageErrors.slice(-20));
  return lines.join('\n');
}

function findFiles(dir: string, pattern: RegExp): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && pattern.test(path.join(e.parentPath, e.name)))
    .map((e) => path.join(e.parentPath, e.name));
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`integration: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
