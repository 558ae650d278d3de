import { CodeActionKind, type CodeAction, type CodeActionParams } from 'vscode-languageserver';
import { DIAGNOSTIC_SOURCE } from '../protocol/requests';
import type { CheckedFile } from './checker';

/** Quick fixes for the DL Doctor diagnostics in the request, built from the findings' own fixes. */
export function codeActions(params: CodeActionParams, checked: CheckedFile | undefined): CodeAction[] {
  if (!checked) return [];
  const actions: CodeAction[] = [];
  for (const diagnostic of params.context.diagnostics) {
    if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
    const finding = checked.result.findings.find(
      (f) =>
        f.rule === diagnostic.code &&
        f.range.start.line === diagnostic.range.start.line &&
        f.range.start.character === diagnostic.range.start.character,
    );
    for (const fix of [...(finding?.fixes ?? []), ...(finding?.ignoreFixes ?? [])]) {
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: fix.isPreferred,
        edit: {
          documentChanges: [
            {
              textDocument: { uri: params.textDocument.uri, version: checked.version ?? null },
              edits: fix.edits,
            },
          ],
        },
      });
    }
  }
  return actions;
}
