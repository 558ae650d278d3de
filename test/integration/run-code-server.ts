/**
 * Runs the extension-host suite inside a real VS Code on this offline machine: code-server 4.100.3
 * (VS Code 1.100.3) driven by headless Chromium. Installs the packaged dist/dl-doctor.vsix into a
 * fresh profile per scenario, so the test sees exactly what users install. Fails loudly — never
 * skips — on anything but a complete, all-passed result from every scenario.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildSuite } from './build-suite';
import { launchBrowser, testUrl } from './host/browser';
import { ensureHost, installExtension, startHost, type RunningHost } from './host/code-server';
import { DEV_EXTENSION, prepareProfile, VSIX } from './host/profile';
import { readResult, report, type ScenarioOutcome } from './report';
import { SCENARIOS, type Scenario } from './scenarios';

const SCENARIO_TIMEOUT_MS = 6 * 60_000;

async function main(): Promise<number> {
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

async function runScenario(scenario: Scenario, suite: string): Promise<ScenarioOutcome> {
  const started = Date.now();
  const screenshots = process.env.DL_DOCTOR_SCREENSHOTS;
  const profile = prepareProfile(scenario, { screenshot: !!screenshots });
  const { userDataDir, extensionsDir, workspace, resultFile } = profile;
  installExtension(VSIX, userDataDir, extensionsDir);

  console.log(`\n[${scenario.name}] starting VS Code (code-server) on ${workspace}`);
  let host: RunningHost | undefined;
  const browser = await launchBrowser();
  try {
    host = await startHost(workspace, userDataDir, extensionsDir);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(testUrl(host.port, workspace, DEV_EXTENSION, suite));
    const deadline = Date.now() + SCENARIO_TIMEOUT_MS;
    while (!fs.existsSync(resultFile)) {
      const pending = screenshots && profile.screenshotHandshake ? pendingScreenshot(profile.screenshotHandshake) : undefined;
      if (pending) {
        // The suite holds the workbench in a state worth showing until the picture is taken.
        await page.waitForTimeout(1000);
        const file = path.join(screenshots!, `${pending}.png`);
        await page.screenshot({ path: file });
        fs.writeFileSync(`${profile.screenshotHandshake}-${pending}.done`, '');
        console.log(`[${scenario.name}] screenshot written to ${file}`);
      }
      if (Date.now() > deadline) {
        return { scenario: scenario.name, error: `no result within ${SCENARIO_TIMEOUT_MS / 1000} s\n${diagnostics(host, userDataDir, pageErrors)}` };
      }
      if (host.process.exitCode !== null) {
        return { scenario: scenario.name, error: `code-server exited with ${host.process.exitCode}\n${diagnostics(host, userDataDir, pageErrors)}` };
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const result = readResult(resultFile);
    console.log(`[${scenario.name}] finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (result.failed > 0 || result.error) console.log(diagnostics(host, userDataDir, pageErrors));
    return result;
  } finally {
    await browser.close().catch(() => undefined);
    await host?.stop();
    profile.dispose();
  }
}

/** The name of a screenshot the suite is waiting for, if any (`<handshake>-NAME.ready` without `.done`). */
function pendingScreenshot(handshake: string): string | undefined {
  const dir = path.dirname(handshake);
  const prefix = `${path.basename(handshake)}-`;
  return fs
    .readdirSync(dir)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.ready'))
    .map((f) => f.slice(prefix.length, -'.ready'.length))
    .find((name) => !fs.existsSync(`${handshake}-${name}.done`));
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
