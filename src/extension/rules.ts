import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ListRulesRequest, RULE_DOC_SCHEME, type RuleInfo } from '../protocol/requests';

/**
 * The rule catalogue, fetched from the server once (the server owns the rules), and the read-only
 * `dl-doctor-rule:/CODE.md` documents that show a rule's explanation — diagnostics link to them.
 */
export class RuleCatalog implements vscode.TextDocumentContentProvider {
  private rules?: Promise<RuleInfo[]>;

  constructor(private readonly client: LanguageClient) {}

  all(): Promise<RuleInfo[]> {
    this.rules ??= this.client.sendRequest(ListRulesRequest).then(
      (rules) => rules,
      (error: unknown) => {
        this.rules = undefined;
        throw error;
      },
    );
    return this.rules;
  }

  async find(code: string): Promise<RuleInfo | undefined> {
    return (await this.all()).find((r) => r.code === code);
  }

  static uri(code: string): vscode.Uri {
    return vscode.Uri.from({ scheme: RULE_DOC_SCHEME, path: `/${code}.md` });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const code = uri.path.replace(/^\//, '').replace(/\.md$/, '');
    const rule = await this.find(code);
    if (!rule) return `# Unknown rule \`${code}\`\n\nRun **DL Doctor: Explain Rule…** to pick one of the known rules.\n`;
    return `# ${rule.code}: ${rule.title}\n\n*Drawback: ${rule.drawback} · default severity: ${rule.defaultSeverity}*\n${rule.explanation}`;
  }
}
