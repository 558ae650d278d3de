import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AnalyzeWorkspaceResult } from '../../../src/protocol/requests';
import type { FindingNode } from '../../../src/extension/sidebar/findings-tree';
import { activeExtension, codeOf, dlDoctorDiagnostics, pauseForScreenshot, waitFor, workspaceFile } from './helpers';

suite('DL Doctor in a trusted workspace', () => {
  test('runs from the installed .vsix, not from a development folder', async () => {
    const { extension } = await activeExtension();
    assert.equal(vscode.workspace.isTrusted, true);
    assert.equal(extension.packageJSON.name, 'dl-doctor');
    assert.ok(!extension.extensionPath.includes(path.join('test', 'integration')), extension.extensionPath);
  });

  test('shows unset-seed on an unseeded script, without opening it, and the hover explains it', async () => {
    await activeExtension();
    const train = workspaceFile('train.py');
    const [diagnostic] = await waitFor('unset-seed on train.py', () => dlDoctorDiagnostics(train), (d) => d.length === 1);
    assert.equal(codeOf(diagnostic), 'unset-seed');
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(diagnostic.range.start.line, 9);
    assert.match(diagnostic.message, /^NumPy and PyTorch randomness is never seeded \(3 random calls, first: nn\.Linear\(784, hidden\)\)/);

    await vscode.window.showTextDocument(train);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', train, diagnostic.range.start.translate(0, 2));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /DL Doctor · unset-seed/);
    assert.match(text, /## How to fix/);
  });

  test('leaves seeded scripts, helper-seeded scripts and data scripts without warnings', async () => {
    await activeExtension();
    const seeded = await waitFor('info findings on seeded.py', () => dlDoctorDiagnostics(workspaceFile('seeded.py')), (d) => d.length === 1);
    assert.equal(codeOf(seeded[0]), 'cudnn-benchmark-nondeterministic');
    assert.equal(seeded[0].severity, vscode.DiagnosticSeverity.Information);
    assert.deepEqual(dlDoctorDiagnostics(workspaceFile('uses_helper.py')), []);
    assert.deepEqual(dlDoctorDiagnostics(workspaceFile('prepare_data.py')), []);
  });

  test('the quick fix seeds every framework the file uses and the warning goes away', async () => {
    await activeExtension();
    const train = workspaceFile('train.py');
    const [diagnostic] = await waitFor('unset-seed on train.py', () => dlDoctorDiagnostics(train), (d) => d.length === 1);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', train, diagnostic.range);
    const fix = actions.find((a) => a.title === 'Seed all random number generators used in this file');
    assert.ok(fix?.edit, `quick fix offered; got: ${actions.map((a) => a.title).join(', ')}`);
    assert.equal(await vscode.workspace.applyEdit(fix.edit), true);
    const document = await vscode.workspace.openTextDocument(train);
    assert.match(document.getText(), /\nimport torch\nfrom torch import nn\n\nSEED = 42\nnp\.random\.seed\(SEED\)\ntorch\.manual_seed\(SEED\)\ntorch\.cuda\.manual_seed_all\(SEED\)\n\n\ndef build_model/);
    await waitFor('no DL Doctor diagnostics on train.py after the fix', () => dlDoctorDiagnostics(train), (d) => d.length === 0);
    await document.save();
  });

  test('the sidebar groups findings by drawback, then file, and a finding opens its range', async () => {
    const { api } = await activeExtension();
    const uri = workspaceFile('seeded.py');
    await waitFor('seeded.py finding in the tree', () => api.findings.count, (n) => n >= 1);
    const roots = api.findings.getChildren();
    assert.deepEqual(roots.map((r) => api.findings.getTreeItem(r).label), ['Reproducibility']);
    const files = api.findings.getChildren(roots[0]);
    const file = files.find((f) => f.kind === 'file' && f.uri.toString() === uri.toString()) as FindingNode;
    assert.ok(file, 'seeded.py is listed under Reproducibility');
    const [finding] = api.findings.getChildren(file);
    const item = api.findings.getTreeItem(finding);
    assert.match(String(item.label), /^cudnn\.benchmark = True picks convolution algorithms by timing/);
    assert.equal(item.description, 'cudnn-benchmark-nondeterministic · Ln 5');
    assert.ok(item.command);
    await vscode.commands.executeCommand(item.command.command, ...(item.command.arguments ?? []));
    const editor = await waitFor('seeded.py in the active editor', () => vscode.window.activeTextEditor, (e) => e?.document.uri.toString() === uri.toString());
    assert.equal(editor!.selection.start.line, 4);
  });

  test('the status bar counts the findings', async () => {
    const { api } = await activeExtension();
    await waitFor('status bar count', () => api.statusText(), (text) => text === `$(beaker) ${api.findings.count}`);
  });

  test('Analyze Workspace re-checks every Python file and reports the numbers', async () => {
    await activeExtension();
    const result = await vscode.commands.executeCommand<AnalyzeWorkspaceResult>('dlDoctor.analyzeWorkspace');
    assert.equal(result.cancelled, false);
    assert.equal(result.filesChecked, 10, 'eight Python files, checkpoints/tiny.pt and web_model/model.json');
    assert.equal(result.findings, 1, 'only seeded.py still has a finding after the quick fix');
  });

  test('Explain Rule opens the explanation as rendered markdown', async () => {
    await activeExtension();
    assert.equal(await vscode.commands.executeCommand('dlDoctor.explainRule', 'seed-unused'), 'seed-unused');
    const tab = await waitFor(
      'a markdown preview tab',
      () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && /seed-unused/.test(t.label)),
      (t) => t !== undefined,
    );
    assert.match(tab!.label, /Preview seed-unused\.md/);
    const document = await vscode.workspace.openTextDocument(vscode.Uri.parse('dl-doctor-rule:/seed-unused.md'));
    assert.match(document.getText(), /^# seed-unused: A seed is declared but never applied/);
    assert.match(document.getText(), /## How to fix/);
  });

  test('a torch.load line shows what the checkpoint holds, and the lens opens its Model Report', async () => {
    const { api } = await activeExtension();
    const evaluate = workspaceFile('evaluate.py');
    await vscode.window.showTextDocument(evaluate);
    const lenses = await waitFor(
      'a DL Doctor code lens on evaluate.py',
      async () => (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', evaluate)) ?? [],
      (l) => l.some((lens) => lens.command?.title.startsWith('DL Doctor:')),
    );
    const lens = lenses.find((l) => l.command?.title.startsWith('DL Doctor:'))!;
    assert.equal(lens.range.start.line, 5);
    assert.match(lens.command!.title, /^DL Doctor: 1,498 parameters · state dict · 8\.7 KB$/);
    const checkpoint = workspaceFile('checkpoints', 'tiny.pt');
    const opened = await vscode.commands.executeCommand<vscode.Uri>(lens.command!.command, ...(lens.command!.arguments ?? []));
    assert.equal(opened?.toString(), checkpoint.toString());
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.input instanceof vscode.TabInputCustom, `the active tab is a custom editor; got ${tab?.label}`);
    assert.equal(tab.input.viewType, 'dlDoctor.modelReport');
    assert.equal(tab.input.uri.toString(), checkpoint.toString());
    // The page itself reports what it rendered: every tensor row, the module tree, no findings.
    // A webview's first load in the browser can take seconds on a loaded machine (its service worker starts).
    const rendered = await waitFor('the Model Report page to render', () => api.modelReports.lastRendered(checkpoint), (r) => r !== undefined, 60_000);
    assert.deepEqual([rendered!.tensorRows, rendered!.modules, rendered!.findings], [9, 4, 0]);
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await pauseForScreenshot('model-report');
  });

  test('the line that builds a torchvision model shows its parameter count and training memory, and the hover its sources', async () => {
    await activeExtension();
    const finetune = workspaceFile('finetune.py');
    await vscode.window.showTextDocument(finetune);
    const lenses = await waitFor(
      'a cost code lens on finetune.py',
      async () => (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', finetune)) ?? [],
      (l) => l.some((lens) => lens.command?.title.startsWith('DL Doctor:')),
    );
    const lens = lenses.find((l) => l.command?.title.startsWith('DL Doctor:'))!;
    assert.equal(lens.range.start.line, 6);
    // ImageNet MACs are at 224×224, CIFAR-10 images are 32×32: the lens leaves MACs and energy out rather than guess.
    assert.equal(lens.command!.title, 'DL Doctor: ≈11.7M params · train mem ≈ 187.0 MB (AdamW, fp32, excl. activations)');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', finetune, lens.range.start.translate(0, 10));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /11,689,512 parameters, pretrained weights/);
    assert.match(text, /MACs are known at 3×224×224, not at the data's 3×32×32: left out/);
  });

  test('Open Model Report opens a TensorFlow.js model.json from the palette, with its layers built by TensorFlow.js', async () => {
    const { api } = await activeExtension();
    const model = workspaceFile('web_model', 'model.json');
    await vscode.window.showTextDocument(model);
    await vscode.commands.executeCommand('dlDoctor.openModelReport');
    const rendered = await waitFor('the model.json report to render', () => api.modelReports.lastRendered(model), (r) => r !== undefined, 60_000);
    assert.deepEqual([rendered!.tensorRows, rendered!.findings], [4, 0]);
    // Dense, Dropout, Dense: the language server's TensorFlow.js worker built the model and the page shows each layer.
    await waitFor('the layer analysis on the page', () => api.modelReports.lastRendered(model)?.layerRows, (rows) => rows === 3, 60_000);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('Show Output reveals the server log', async () => {
    await activeExtension();
    await vscode.commands.executeCommand('dlDoctor.showOutput');
    const output = await waitFor(
      'the DL Doctor output channel in an editor',
      () => vscode.window.visibleTextEditors.map((e) => e.document).find((d) => d.uri.scheme === 'output'),
      (d) => d !== undefined,
    );
    assert.match(output!.getText(), /DL Doctor server ready/);
  });

  test('turning a rule off in the settings removes its diagnostics', async () => {
    await activeExtension();
    const seeded = workspaceFile('seeded.py');
    const config = vscode.workspace.getConfiguration('dlDoctor');
    await config.update('rules', { 'cudnn-benchmark-nondeterministic': 'off' }, vscode.ConfigurationTarget.Workspace);
    try {
      await waitFor('no diagnostics on seeded.py', () => dlDoctorDiagnostics(seeded), (d) => d.length === 0);
    } finally {
      await config.update('rules', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await waitFor('the finding back on seeded.py', () => dlDoctorDiagnostics(seeded), (d) => d.length === 1);
  });

  test('the hover shows what the finding rests on, and Ignore … on this line writes the comment that silences it', async () => {
    await activeExtension();
    const seeded = workspaceFile('seeded.py');
    const [diagnostic] = await waitFor('the finding on seeded.py', () => dlDoctorDiagnostics(seeded), (d) => d.length === 1);
    await vscode.window.showTextDocument(seeded);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', seeded, diagnostic.range.start.translate(0, 2));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /- `torch\.backends\.cudnn\.benchmark` = True\n- PyTorch seeded by `torch\.manual_seed\(0\)` \(line 4\), so reproducible runs are intended\n/);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', seeded, diagnostic.range);
    const ignore = actions.find((a) => a.title === 'Ignore cudnn-benchmark-nondeterministic on this line');
    assert.ok(ignore?.edit, `Ignore quick fix offered; got: ${actions.map((a) => a.title).join(', ')}`);
    assert.equal(await vscode.workspace.applyEdit(ignore.edit), true);
    const document = await vscode.workspace.openTextDocument(seeded);
    assert.equal(document.lineAt(4).text, 'torch.backends.cudnn.benchmark = True  # dl-doctor: ignore[cudnn-benchmark-nondeterministic]');
    await waitFor('no DL Doctor diagnostics on seeded.py after the Ignore fix', () => dlDoctorDiagnostics(seeded), (d) => d.length === 0);
    await document.save();
  });
  test('Show Learning Curves draws a run and follows its log as it grows; the log and its script get val-divergence', async () => {
    const { api } = await activeExtension();
    // A real run (test/fixtures/runs/generate_runs.py), written into the workspace as training writes it: a few epochs, then the rest.
    const fixtures = path.resolve(__dirname, '../../../test/fixtures/runs/overfitting');
    const fullLog = fs.readFileSync(path.join(fixtures, 'training_log.csv'), 'utf8');
    const folder = workspaceFile('runs', 'overfit');
    fs.mkdirSync(folder.fsPath, { recursive: true });
    const log = workspaceFile('runs', 'overfit', 'training_log.csv');
    const script = workspaceFile('runs', 'overfit', 'train.py');
    fs.writeFileSync(log.fsPath, fullLog.split('\n').slice(0, 5).join('\n') + '\n'); // header and epochs 0-3
    fs.copyFileSync(path.join(fixtures, 'train.py'), script.fsPath);
    try {
      const shown = await vscode.commands.executeCommand<boolean>('dlDoctor.showLearningCurves', log.toString());
      assert.equal(shown, true);
      const first = await waitFor('the panel to be sent the run', () => api.learningCurves.current?.lastSent, (m) => m?.type === 'runs' && m.shown.length === 1, 60_000);
      assert.ok(first?.type === 'runs');
      assert.equal(first.shown[0].run, 'runs/overfit/training_log.csv');
      assert.deepEqual(first.shown[0].series.map((s) => `${s.name}:${s.steps.length}`).sort(), ['accuracy:4', 'loss:4', 'val_accuracy:4', 'val_loss:4']);
      assert.deepEqual(first.shown[0].markers.map((m) => m.kind), ['best'], 'four epochs: nothing diverges yet');
      const drawn = await waitFor('the page to draw', () => api.learningCurves.lastRendered, (r) => r !== undefined, 60_000);
      assert.deepEqual([drawn!.runs, drawn!.charts, drawn!.series], [1, 2, 4]);

      // The script is open, as it is while its run trains (a file created in a folder made a moment
      // earlier can miss the file watcher, and then nothing would check it).
      await vscode.workspace.openTextDocument(script);
      // Training goes on: the log grows to 60 epochs; the server re-reads it and the panel redraws.
      fs.writeFileSync(log.fsPath, fullLog);
      const grown = await waitFor(
        'the divergence marker after the log grew',
        () => api.learningCurves.current?.lastSent,
        (m) => m?.type === 'runs' && m.shown[0]?.markers.some((k) => k.kind === 'divergence') === true,
        60_000,
      );
      assert.ok(grown?.type === 'runs');
      assert.deepEqual(grown.shown[0].markers.map((m) => [m.kind, m.step]), [['best', 3], ['divergence', 6]]);
      const [onLog] = await waitFor('val-divergence on the log', () => dlDoctorDiagnostics(log), (d) => d.some((x) => codeOf(x) === 'val-divergence'));
      assert.equal(onLog.range.start.line, 4);
      assert.match(onLog.message, /^Run `runs\/overfit\/training_log\.csv` \(log modified [^)]+\): val_loss was best at epoch 3 \(0\.4538\)/);
      const onScript = await waitFor('val-divergence on the script', () => dlDoctorDiagnostics(script), (d) => d.some((x) => codeOf(x) === 'val-divergence'));
      assert.equal(onScript.find((d) => codeOf(d) === 'val-divergence')!.range.start.line, 13);
      await waitFor('the page to redraw', () => api.learningCurves.lastRendered?.series, (n) => n === 4, 60_000);
      await vscode.commands.executeCommand('workbench.action.closeSidebar');
      await pauseForScreenshot('learning-curves');
      // The script's model.fit line has the lens that opens these curves.
      await vscode.window.showTextDocument(script);
      const lenses = await waitFor(
        'the Show learning curves lens on train.py',
        async () => (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', script)) ?? [],
        (l) => l.some((x) => x.command?.title.includes('learning curves')),
      );
      assert.ok(lenses.some((l) => l.range.start.line === 13 && l.command?.title === 'DL Doctor: Show learning curves (runs/overfit/training_log.csv)'), lenses.map((l) => l.command?.title).join(', '));
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      fs.rmSync(folder.fsPath, { recursive: true, force: true });
    }
  });
});
