import type { CheckReport } from '../check';
import { relative } from './text';

/** Stable, documented JSON for scripts: one object, paths relative to the working folder. */
export function formatJson(report: CheckReport, version: string): string {
  return (
    JSON.stringify(
      {
        tool: { name: 'dl-doctor', version },
        filesChecked: report.filesChecked,
        findings: report.findings.map((f) => ({
          rule: f.rule,
          drawback: f.drawback,
          severity: f.severity,
          file: relative(report.cwd, f.file),
          // 1-based lines and columns, as editors and other linters print them
          line: f.range.start.line + 1,
          column: f.range.start.character + 1,
          endLine: f.range.end.line + 1,
          endColumn: f.range.end.character + 1,
          message: f.message,
          ...(f.evidence?.length ? { evidence: f.evidence } : {}),
          ...(f.data ? { data: f.data } : {}),
          ...(f.fixes?.length ? { fixes: f.fixes.map((x) => x.title) } : {}),
        })),
        models: report.models.map((m) => ({
          file: relative(report.cwd, m.file),
          format: m.format,
          kind: m.kind,
          parameters: m.parameters,
          tensors: m.tensors.length,
          sizeBytes: m.sizeBytes,
          dtypes: m.dtypes,
          ...(m.optimizerValues ? { optimizerValues: m.optimizerValues } : {}),
          ...(m.epoch !== undefined ? { epoch: m.epoch } : {}),
          ...(m.onnx ? { onnx: { opset: m.onnx.opset, ops: m.onnx.ops, inputs: m.onnx.inputs, outputs: m.onnx.outputs } } : {}),
          findings: report.findings.filter((f) => f.file === m.file).map((f) => f.rule),
        })),
        runs: report.runs.map((r) => ({ ...r, file: relative(report.cwd, r.file) })),
        skipped: report.skipped.map((s) => ({ file: relative(report.cwd, s.file), reason: s.reason })),
      },
      null,
      2,
    ) + '\n'
  );
}
