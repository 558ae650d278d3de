import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activeExtension, codeOf, dlDoctorDiagnostics, pauseForScreenshot, waitFor, workspaceFile } from './helpers';

suite('DL Doctor in Restricted Mode', () => {
  test('the folder is untrusted and static diagnostics still appear', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    await activeExtension();
    const [diagnostic] = await waitFor('unset-seed on train.py', () => dlDoctorDiagnostics(workspaceFile('train.py')), (d) => d.length === 1);
    assert.equal(codeOf(diagnostic), 'unset-seed');
  });

  test('the finding shows in the editor, the Problems panel and the DL Doctor view', async () => {
    const { api } = await activeExtension();
    const train = workspaceFile('train.py');
    const [diagnostic] = await waitFor('unset-seed on train.py', () => dlDoctorDiagnostics(train), (d) => d.length === 1);
    const editor = await vscode.window.showTextDocument(train);
    editor.revealRange(diagnostic.range);
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await vscode.commands.executeCommand('dlDoctor.findings.focus');
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), train.toString());
    assert.equal(api.findings.count, 2, 'the view lists the workspace findings: unset-seed on train.py, cuDNN on seeded.py');
    await pauseForScreenshot('problems-and-sidebar');
  });
});
