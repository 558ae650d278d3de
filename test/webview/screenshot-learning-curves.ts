/**
 * Takes media/screenshots/learning-curves.png from the real page bundle in headless Chromium under the
 * extension's CSP, with VS Code's Dark Modern theme variables set (the page reads only those):
 * `node --import tsx test/webview/screenshot-learning-curves.ts`. The extension-host suite takes the
 * same screenshot inside code-server when run with DL_DOCTOR_SCREENSHOTS.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { runCurves } from '../../src/server/learning-curves';
import { engine, FIXTURES, REPO } from '../support/engine';
import { openWebview } from './page-harness';

/** VS Code Dark Modern's values for the variables the page uses. */
const DARK_MODERN: Record<string, string> = {
  '--vscode-foreground': '#cccccc',
  '--vscode-descriptionForeground': '#9d9d9d',
  '--vscode-editor-background': '#1f1f1f',
  '--vscode-font-family': 'system-ui, sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-editor-font-family': 'monospace',
  '--vscode-panel-border': '#2b2b2b',
  '--vscode-editorWidget-border': '#313131',
  '--vscode-charts-blue': '#3794ff',
  '--vscode-charts-orange': '#d18616',
  '--vscode-charts-green': '#89d185',
  '--vscode-charts-purple': '#b180d7',
  '--vscode-charts-red': '#f14c4c',
  '--vscode-charts-yellow': '#cca700',
  '--vscode-editorWarning-foreground': '#cca700',
  '--vscode-editorError-foreground': '#f14c4c',
  '--vscode-editorInfo-foreground': '#3794ff',
};

async function main(): Promise<void> {
  const runs = path.join(FIXTURES, 'runs');
  const shown = [];
  for (const name of ['overfitting', 'healthy']) {
    const file = path.join(runs, name, 'training_log.csv');
    const result = await (await engine()).checkRunLog(file, undefined, runs);
    shown.push(runCurves(pathToFileURL(file).href, result!)!);
  }
  const view = await openWebview('learning-curves', 'learning-curves.css');
  await view.page.evaluate((vars) => {
    for (const [name, value] of Object.entries(vars)) document.documentElement.style.setProperty(name, value);
    document.body.style.background = vars['--vscode-editor-background'];
  }, DARK_MODERN);
  await view.page.setViewportSize({ width: 1200, height: 900 });
  await view.send({ type: 'runs', available: shown.map(({ uri, run, format, modified }) => ({ uri, run, format, modified })), shown, errors: [], maxShown: 8 });
  await view.page.waitForSelector('figure.chart canvas');
  await view.page.screenshot({ path: path.join(REPO, 'media/screenshots/learning-curves.png') });
  if (view.problems.length) throw new Error(view.problems.join('\n'));
  await view.close();
}

void main();
