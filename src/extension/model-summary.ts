import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { MODEL_DOC_SCHEME, ModelSummaryRequest, type ModelSummaryResult } from '../protocol/requests';

/** The markdown page shows the first tensors; the full table belongs to the Model Report. */
const MAX_TENSOR_ROWS = 300;

/**
 * Read-only `dl-doctor-model:` documents: a model file's facts and findings as markdown, opened by
 * the code lens on `torch.load(...)` lines and from the explorer.
 */
export class ModelSummaryPages implements vscode.TextDocumentContentProvider {
  constructor(private readonly client: LanguageClient) {}

  static uriFor(modelFile: vscode.Uri): vscode.Uri {
    return vscode.Uri.from({ scheme: MODEL_DOC_SCHEME, path: `${modelFile.path}.md` });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const modelFile = vscode.Uri.file(uri.path.replace(/\.md$/, ''));
    const result = await this.client.sendRequest(ModelSummaryRequest, { uri: modelFile.toString() });
    return render(vscode.workspace.asRelativePath(modelFile), result);
  }
}

function render(name: string, { summary, error, findings }: ModelSummaryResult): string {
  const lines = [`# ${name}`, ''];
  if (summary) {
    const dtypes = Object.entries(summary.dtypes).map(([d, n]) => `${d}: ${n.toLocaleString('en-US')}`).join(', ') || '—';
    lines.push(
      '| | |',
      '|---|---|',
      `| Format | ${summary.format} |`,
      `| Content | ${summary.kind.replace('_', ' ')} |`,
      `| Parameters | ${summary.parameters.toLocaleString('en-US')} |`,
      `| Parameters by dtype | ${dtypes} |`,
      ...(summary.optimizerValues ? [`| Optimizer state | ${summary.optimizerValues.toLocaleString('en-US')} values |`] : []),
      ...(summary.epoch !== undefined ? [`| Epoch | ${summary.epoch} |`] : []),
      ...(summary.onnx
        ? [
            `| Opset | ${summary.onnx.opset ?? '—'} |`,
            `| Operators | ${Object.entries(summary.onnx.ops).map(([op, n]) => `${op} × ${n}`).join(', ')} |`,
            `| Inputs → outputs | ${summary.onnx.inputs.join(', ')} → ${summary.onnx.outputs.join(', ')} |`,
          ]
        : []),
      `| Size on disk | ${summary.sizeBytes.toLocaleString('en-US')} bytes |`,
      `| Tensors | ${summary.tensors.length.toLocaleString('en-US')} |`,
      '',
    );
  } else {
    lines.push(`This file could not be read: ${error ?? 'unknown error'}`, '');
  }
  lines.push('## Findings', '');
  lines.push(...(findings.length ? findings.map((f) => `- **${f.rule}** (${f.severity}): ${f.message}`) : ['None.']), '');
  if (summary?.tensors.length) {
    lines.push('## Tensors', '', '| Name | Shape | Dtype | Elements |', '|---|---|---|---:|');
    for (const t of summary.tensors.slice(0, MAX_TENSOR_ROWS)) {
      lines.push(`| \`${t.name}\` | ${t.shape.join(' × ') || 'scalar'} | ${t.dtype} | ${t.numel.toLocaleString('en-US')} |`);
    }
    if (summary.tensors.length > MAX_TENSOR_ROWS) lines.push('', `… and ${(summary.tensors.length - MAX_TENSOR_ROWS).toLocaleString('en-US')} more tensors.`);
  }
  return lines.join('\n') + '\n';
}
