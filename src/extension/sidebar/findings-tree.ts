import * as path from 'node:path';
import * as vscode from 'vscode';
import { DRAWBACKS, DRAWBACK_TITLES, type Drawback } from '../../engine/finding';
import { DIAGNOSTIC_SOURCE } from '../../protocol/requests';

/** Tree nodes: drawback → file → finding. */
export type FindingNode =
  | { kind: 'drawback'; drawback: Drawback; count: number }
  | { kind: 'file'; drawback: Drawback; uri: vscode.Uri; diagnostics: vscode.Diagnostic[] }
  | { kind: 'finding'; uri: vscode.Uri; diagnostic: vscode.Diagnostic };

/**
 * The sidebar's findings, read from the diagnostics the server published (so it always agrees with
 * the Problems panel), grouped by drawback using the rule catalogue.
 */
export class FindingsTree implements vscode.TreeDataProvider<FindingNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<FindingNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;
  private grouped = new Map<Drawback, Map<string, { uri: vscode.Uri; diagnostics: vscode.Diagnostic[] }>>();
  private total = 0;

  constructor(private readonly drawbackOf: (rule: string) => Drawback | undefined) {
    this.subscription = vscode.languages.onDidChangeDiagnostics(() => this.refresh());
    this.refresh();
  }

  /** Number of DL Doctor findings in the workspace. */
  get count(): number {
    return this.total;
  }

  refresh(): void {
    const grouped = new Map<Drawback, Map<string, { uri: vscode.Uri; diagnostics: vscode.Diagnostic[] }>>();
    let total = 0;
    for (const [uri, diagnostics] of vscode.languages.getDiagnostics()) {
      for (const diagnostic of diagnostics) {
        if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
        const drawback = this.drawbackOf(ruleCode(diagnostic)) ?? 'reproducibility';
        let files = grouped.get(drawback);
        if (!files) grouped.set(drawback, (files = new Map()));
        const key = uri.toString();
        const entry = files.get(key) ?? { uri, diagnostics: [] };
        entry.diagnostics.push(diagnostic);
        files.set(key, entry);
        total++;
      }
    }
    this.grouped = grouped;
    this.total = total;
    this.changed.fire(undefined);
  }

  getChildren(node?: FindingNode): FindingNode[] {
    if (!node) {
      return DRAWBACKS.filter((d) => this.grouped.has(d)).map((drawback) => ({
        kind: 'drawback',
        drawback,
        count: [...this.grouped.get(drawback)!.values()].reduce((n, f) => n + f.diagnostics.length, 0),
      }));
    }
    if (node.kind === 'drawback') {
      return [...(this.grouped.get(node.drawback)?.values() ?? [])]
        .sort((a, b) => a.uri.fsPath.localeCompare(b.uri.fsPath))
        .map(({ uri, diagnostics }) => ({ kind: 'file', drawback: node.drawback, uri, diagnostics }));
    }
    if (node.kind === 'file') {
      return [...node.diagnostics]
        .sort((a, b) => a.range.start.line - b.range.start.line)
        .map((diagnostic) => ({ kind: 'finding', uri: node.uri, diagnostic }));
    }
    return [];
  }

  getTreeItem(node: FindingNode): vscode.TreeItem {
    switch (node.kind) {
      case 'drawback': {
        const item = new vscode.TreeItem(DRAWBACK_TITLES[node.drawback], vscode.TreeItemCollapsibleState.Expanded);
        item.description = `${node.count}`;
        item.id = `drawback:${node.drawback}`;
        item.contextValue = 'drawback';
        return item;
      }
      case 'file': {
        const item = new vscode.TreeItem(node.uri, vscode.TreeItemCollapsibleState.Expanded);
        const folder = path.posix.dirname(vscode.workspace.asRelativePath(node.uri, false));
        item.description = `${folder === '.' ? '' : `${folder} · `}${node.diagnostics.length}`;
        item.id = `file:${node.drawback}:${node.uri.toString()}`;
        item.contextValue = 'file';
        return item;
      }
      case 'finding': {
        const { diagnostic } = node;
        const item = new vscode.TreeItem(diagnostic.message, vscode.TreeItemCollapsibleState.None);
        item.description = `${ruleCode(diagnostic)} · Ln ${diagnostic.range.start.line + 1}`;
        item.tooltip = new vscode.MarkdownString(`**${ruleCode(diagnostic)}**\n\n${diagnostic.message}`);
        item.iconPath = severityIcon(diagnostic.severity);
        item.contextValue = 'finding';
        item.command = {
          command: 'vscode.open',
          title: 'Open Finding',
          arguments: [node.uri, { selection: diagnostic.range } satisfies vscode.TextDocumentShowOptions],
        };
        return item;
      }
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

export function ruleCode(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  if (typeof code === 'object' && code !== null) return String(code.value);
  return String(code ?? '');
}

function severityIcon(severity: vscode.DiagnosticSeverity): vscode.ThemeIcon {
  switch (severity) {
    case vscode.DiagnosticSeverity.Error:
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
    case vscode.DiagnosticSeverity.Warning:
      return new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
    default:
      return new vscode.ThemeIcon('info', new vscode.ThemeColor('problemsInfoIcon.foreground'));
  }
}
