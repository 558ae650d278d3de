import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { MODEL_DOC_SCHEME, RULE_DOC_SCHEME, StatusNotification } from '../protocol/requests';
import { ModelSummaryPages } from './model-summary';
import { createClient } from './client';
import { registerCommands } from './commands';
import { createOutputChannel, showError } from './logger';
import { RuleCatalog } from './rules';
import { FindingsTree } from './sidebar/findings-tree';
import { FindingsStatus } from './status-bar';
import type { Drawback } from '../engine/finding';

/** What the extension exposes to other extensions (and to its integration tests). */
export interface DlDoctorApi {
  /** Resolves once the language server is running and the rule catalogue is loaded. */
  ready: Promise<void>;
  findings: FindingsTree;
  statusText(): string;
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

  context.subscriptions.push(
    output,
    findings,
    status,
    vscode.window.createTreeView('dlDoctor.findings', { treeDataProvider: findings, showCollapseAll: true }),
    vscode.workspace.registerTextDocumentContentProvider(RULE_DOC_SCHEME, rules),
    vscode.workspace.registerTextDocumentContentProvider(MODEL_DOC_SCHEME, new ModelSummaryPages(client)),
    ...registerCommands({ client, rules, output }),
  );

  const ready = client
    .start()
    .then(async () => {
      context.subscriptions.push(client!.onNotification(StatusNotification, (s) => status.setStatus(s)));
      for (const rule of await rules.all()) drawbacks.set(rule.code, rule.drawback);
      findings.refresh();
    })
    .catch(async (error: unknown) => {
      await showError(output, 'DL Doctor could not start its language server.', error);
      throw error;
    });
  return { ready, findings, statusText: () => status.text };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
