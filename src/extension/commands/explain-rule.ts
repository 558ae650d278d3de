import * as vscode from 'vscode';
import { RuleCatalog } from '../rules';
import type { Command } from './command';

/** Quick pick of every rule; opens the chosen rule's explanation as rendered markdown. */
export const explainRule: Command = {
  id: 'dlDoctor.explainRule',
  needsServer: true,
  async run({ rules }, code?: unknown): Promise<string | undefined> {
    let chosen = typeof code === 'string' ? code : undefined;
    if (!chosen) {
      const all = await rules.all();
      const pick = await vscode.window.showQuickPick(
        all.map((rule) => ({ label: rule.code, description: `${rule.drawback} · ${rule.defaultSeverity}`, detail: rule.title })),
        { title: 'DL Doctor: Explain Rule', placeHolder: 'Pick a rule to read why it matters and how to fix it', matchOnDetail: true },
      );
      chosen = pick?.label;
    }
    if (!chosen) return undefined;
    if (!(await rules.find(chosen))) {
      void vscode.window.showWarningMessage(`DL Doctor has no rule '${chosen}'.`);
      return undefined;
    }
    await vscode.commands.executeCommand('markdown.showPreview', RuleCatalog.uri(chosen));
    return chosen;
  },
};
