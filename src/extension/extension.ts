import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { RULE_DOC_SCHEME, StatusNotification } from '../protocol/requests';
import { createClient } from './client';
import { registerCommands } from './commands';
import { createOutputChannel, showError } from './logger';
import { ModelReportEditor } from './panels/model-report-editor';
import { RuleCatalog } from './rules';
import { FindingsTree } from './sidebar/findings-tree';
import { FindingsStatus } from './status-bar';
import { LearningCurves } from './panels/learning-curves-panel';
import { RunsTree } from './sidebar/runs-tree';
import { RunChangedNotification } from '../protocol/learning-curves';
import type { Drawback } from '../engine/finding';

/** What the extension exposes to other extensions (and to its integration tests). */
export interface DlDoctorApi {
  /** Resolves once the language server is running and the rule catalogue is loaded. */
  ready: Promise<void>;
  findings: FindingsTree;
  statusText(): string;
  /** Model Report pages, and what each last rendered. */
  modelReports: ModelReportEditor;
  /** The Learning Curves panel, what it was sent and what it drew. */
  learningCurves: LearningCurves;
}

let client: LanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): DlDoctorApi {
  const output = createOutputChannel();
  client = createClient(context, output);
  const rules = new RuleCatalog(client);
  const drawbacks = new Map<string, Drawback>();
  const findings = new FindingsTree((rule) => drawbacks.get(rule));
  const status = new FindingsStatus();
  findings.onDidChangeTreeData(() => status.setFindings(findings.count));
  const modelReports = new ModelReportEditor(context.extensionUri, client, output);
  const learningCurves = new LearningCurves(context.extensionUri, client, output);
  const runs = new RunsTree(client);

  context.subscriptions.push(
    output,
    findings,
    status,
    vscode.window.createTreeView('dlDoctor.findings', { treeDataProvider: findings, showCollapseAll: true }),
    vscode.workspace.registerTextDocumentContentProvider(RULE_DOC_SCHEME, rules),
    modelReports.register(),
    learningCurves,
    runs,
    vscode.window.createTreeView('dlDoctor.runs', { treeDataProvider: runs }),
    ...registerCommands({ client, rules, output, learningCurves }),
  );

  const ready = client
    .start()
    .then(async () => {
      context.subscriptions.push(
        client!.onNotification(StatusNotification, (s) => status.setStatus(s)),
        client!.onNotification(RunChangedNotification, ({ uri }) => {
          learningCurves.runChanged(uri);
          runs.refresh();
        }),
      );
      runs.refresh();
      for (const rule of await rules.all()) drawbacks.set(rule.code, rule.drawback);
      findings.refresh();
    })
    .catch(async (error: unknown) => {
      await showError(output, 'DL Doctor could not start its language server.', error);
      throw error;
    });
  return { ready, findings, statusText: () => status.text, modelReports, learningCurves };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
