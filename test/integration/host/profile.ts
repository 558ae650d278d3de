import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SUITE_DIR } from '../build-suite';
import { SCENARIO_CONFIG_FILE, type ScenarioConfig } from '../result';
import { userSettings, type Scenario } from '../scenarios';

export const REPO = path.resolve(__dirname, '../../..');
export const VSIX = path.join(REPO, 'dist/dl-doctor.vsix');
export const DEV_EXTENSION = path.resolve(__dirname, '../host-extension');

/** A throw-away VS Code profile and workspace copy for one scenario. */
export interface ScenarioProfile {
  temp: string;
  userDataDir: string;
  extensionsDir: string;
  workspace: string;
  resultFile: string;
  /** Handshake file prefix when a screenshot was asked for. */
  screenshotHandshake?: string;
  dispose(): void;
}

export function prepareProfile(scenario: Scenario, options: { screenshot?: boolean } = {}): ScenarioProfile {
  if (!fs.existsSync(VSIX)) throw new Error(`${VSIX} is missing: run \`npm run package\` first`);
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), `dl-doctor-${scenario.name}-`));
  const profile: ScenarioProfile = {
    temp,
    userDataDir: path.join(temp, 'user'),
    extensionsDir: path.join(temp, 'ext'),
    workspace: path.join(temp, 'workspace'),
    resultFile: path.join(temp, 'result.json'),
    dispose: () => fs.rmSync(temp, { recursive: true, force: true }),
  };
  fs.cpSync(path.join(REPO, scenario.workspace), profile.workspace, { recursive: true });
  fs.mkdirSync(path.join(profile.userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(profile.userDataDir, 'User', 'settings.json'), JSON.stringify(userSettings(scenario), null, 2));
  const config: ScenarioConfig = {
    scenario: scenario.name,
    resultFile: profile.resultFile,
    ...(options.screenshot ? { screenshotHandshake: path.join(temp, 'screenshot') } : {}),
  };
  fs.mkdirSync(SUITE_DIR, { recursive: true });
  fs.writeFileSync(path.join(SUITE_DIR, SCENARIO_CONFIG_FILE), JSON.stringify(config));
  profile.screenshotHandshake = config.screenshotHandshake;
  return profile;
}
