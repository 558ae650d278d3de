import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activeExtension, codeOf, dlDoctorDiagnostics, waitFor, workspaceFile } from './helpers';

suite('DL Doctor in Restricted Mode', () => {
  test('the folder is untrusted and static diagnostics still appear', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    await activeExtension();
    const [diagnostic] = await waitFor('unset-seed on train.py', () => dlDoctorDiagnostics(workspaceFile('train.py')), (d) => d.length === 1);
    assert.equal(codeOf(diagnostic), 'unset-seed');
  });
});
