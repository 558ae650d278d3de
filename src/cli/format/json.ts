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
        // What each script builds and trains on: exact integers, `exact: false` for "at least".
        scripts: report.scripts.map(({ file, facts }) => ({
          file: relative(report.cwd, file),
          models: facts.models.map((m) => ({
            name: m.name,
            line: m.range.start.line + 1,
            framework: m.framework,
            parameters: m.parameters.count,
            exact: m.parameters.exact,
            ...(m.macsPerSample !== undefined ? { macsPerSample: m.macsPerSample, inputShape: m.inputShape } : {}),
            pretrained: m.pretrained,
            ...(m.frozen ? { frozen: true } : {}),
            notes: m.notes,
          })),
          datasets: facts.datasets.map((d) => ({
            name: d.name,
            line: d.range.start.line + 1,
            source: d.source,
            ...(d.trainSamples !== undefined ? { samples: d.trainSamples } : {}),
            ...(d.heldOutSamples !== undefined ? { heldOutSamples: d.heldOutSamples } : {}),
            ...(d.classes !== undefined ? { classes: d.classes } : {}),
            ...(d.classCounts ? { classCounts: d.classCounts } : {}),
            ...(d.inputShape ? { inputShape: d.inputShape } : {}),
            notes: d.notes,
          })),
          ...(facts.training ? { epochs: facts.training.epochs } : {}),
        })),
        skipped: report.skipped.map((s) => ({ file: relative(report.cwd, s.file), reason: s.reason })),
      },
      null,
      2,
    ) + '\n'
  );
}
