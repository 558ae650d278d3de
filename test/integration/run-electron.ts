/**
 * The same extension-host suite through @vscode/test-electron (desktop VS Code), for machines that
 * can download VS Code. Offline machines use run-code-server.ts instead; here this says so clearly.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { downloadAndUnzipVSCode, resolveCliArgsFromVSCodeExecutablePath, runTests } from '@vscode/test-electron';
import { buildSuite } from './build-suite';
import { DEV_EXTENSION, prepareProfile, VSIX } from './host/profile';
import { readResult, report, type ScenarioOutcome } from './report';
import { SCENARIOS, type Scenario } from './scenarios';

/** The VS Code version the code-server host embeds, so both launchers test the same editor. */
const VSCODE_VERSION = process.env.DL_DOCTOR_VSCODE_VERSION ?? '1.100.3';

async function main(): Promise<number> {
  let executable: string;
  try {
    executable = await downloadAndUnzipVSCode(VSCODE_VERSION);
  } catch (error) {
    throw new Error(`cannot download VS Code ${VSCODE_VERSION}: ${error instanceof Error ? error.message : String(error)} (offline? use npm run test:integration)`);
  }
  const suite = await buildSuite();
  const only = process.env.DL_DOCTOR_SCENARIO;
  let failed = false;
  for (const scenario of SCENARIOS.filter((s) => !only || s.name === only)) failed ||= !report(await runScenario(executable, scenario, suite));
  return failed ? 1 : 0;
}

async function runScenario(executable: string, scenario: Scenario, suite: string): Promise<ScenarioOutcome> {
  const profile = prepareProfile(scenario);
  try {
    const [cli, ...cliArgs] = resolveCliArgsFromVSCodeExecutablePath(executable);
    const profileArgs = ['--user-data-dir', profile.userDataDir, '--extensions-dir', profile.extensionsDir];
    execFileSync(cli, [...cliArgs, ...profileArgs, '--install-extension', VSIX], { stdio: 'inherit', shell: process.platform === 'win32' });
    try {
      await runTests({
        vscodeExecutablePath: executable,
        extensionDevelopmentPath: DEV_EXTENSION,
        extensionTestsPath: suite,
        launchArgs: [profile.workspace, ...profileArgs, '--disable-gpu'],
      });
    } catch (error) {
      if (!fs.existsSync(profile.resultFile)) return { scenario: scenario.name, error: `VS Code exited without a result: ${String(error)}` };
    }
    return fs.existsSync(profile.resultFile) ? readResult(profile.resultFile) : { scenario: scenario.name, error: 'no result file' };
  } finally {
    profile.dispose();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`test:electron: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
