import * as path from 'node:path';
import { DRAWBACKS, DRAWBACK_TITLES, type Finding } from '../../engine/finding';
import type { LogFormat } from '../../engine/logs/run-history';
import type { ModelSummary } from '../../engine/models/model-summary';
import { formatBytes } from '../../engine/source-files';
import type { CheckReport } from '../check';

/** Findings grouped by drawback, then file: what `npm run demo` and a terminal user read. */
export function formatText(report: CheckReport): string {
  const out: string[] = [];
  for (const drawback of DRAWBACKS) {
    const findings = report.findings.filter((f) => f.drawback === drawback);
    if (findings.length === 0) continue;
    out.push(`${DRAWBACK_TITLES[drawback]} (${plural(findings.length, 'finding')})`);
    const byFile = new Map<string, Finding[]>();
    for (const finding of findings) byFile.set(finding.file, [...(byFile.get(finding.file) ?? []), finding]);
    for (const [file, list] of [...byFile].sort(([a], [b]) => a.localeCompare(b))) {
      out.push(`  ${relative(report.cwd, file)}`);
      const where = (f: Finding) => `${f.range.start.line + 1}:${f.range.start.character + 1}`;
      const width = Math.max(...list.map((f) => where(f).length));
      for (const f of list) out.push(`    ${where(f).padEnd(width)}  ${f.severity.padEnd(7)}  ${f.rule}  ${f.message}`);
    }
    out.push('');
  }
  if (report.models.length) {
    out.push(`Model files (${plural(report.models.length, 'file')})`);
    for (const m of [...report.models].sort((a, b) => a.file.localeCompare(b.file))) out.push(`  ${relative(report.cwd, m.file)}: ${describeModel(m)}`);
    out.push('');
  }
  if (report.runs.length) {
    out.push(`Training logs (${plural(report.runs.length, 'run')})`);
    for (const r of [...report.runs].sort((a, b) => a.run.localeCompare(b.run))) {
      out.push(`  ${r.run}: ${LOG_FORMATS[r.format]}, ${r.series.map((s) => `${s.name} ×${s.points.toLocaleString('en-US')}`).join(', ') || 'no series yet'}`);
      for (const warning of r.warnings) out.push(`    warning: ${warning}`);
    }
    out.push('');
  }
  for (const skip of report.skipped) out.push(`skipped ${relative(report.cwd, skip.file)}: ${skip.reason}`);
  for (const error of report.ruleErrors) out.push(`internal error in rule ${error.rule} on ${relative(report.cwd, error.file)}: ${error.message}`);
  const counts = ['error', 'warning', 'info', 'hint']
    .map((s) => [s, report.findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => (s === 'info' || s === 'hint' ? `${n} ${s}` : plural(n, s)));
  out.push(
    `${plural(report.findings.length, 'finding')}${counts.length ? ` (${counts.join(', ')})` : ''} in ${plural(report.filesChecked, 'file')} checked` +
      (report.skipped.length ? `, ${report.skipped.length} skipped` : '') +
      (report.findings.length ? '. Run `dl-doctor explain RULE` for why and how to fix.' : '.'),
  );
  return out.join('\n') + '\n';
}

const LOG_FORMATS: Record<LogFormat, string> = {
  'keras-csv': 'Keras CSVLogger',
  'lightning-csv': 'Lightning metrics.csv',
  'hf-trainer-state': 'Hugging Face trainer_state.json',
  'keras-history-json': 'Keras History JSON',
  tensorboard: 'TensorBoard',
};

/** "PyTorch zip, state_dict: 1,498 parameters (float32), 9 tensors, 8.7 KB". */
function describeModel(m: ModelSummary): string {
  const format = { 'pytorch-zip': 'PyTorch zip', 'pytorch-legacy': 'PyTorch legacy', pickle: 'pickle', safetensors: 'safetensors', gguf: 'GGUF', onnx: 'ONNX', 'keras-h5': 'Keras HDF5', keras: 'Keras 3', tfjs: 'TensorFlow.js' }[m.format];
  const dtypes = Object.keys(m.dtypes).join('/');
  const optimizer = m.optimizerValues ? `, optimizer state ${m.optimizerValues.toLocaleString('en-US')} values` : '';
  return `${format}, ${m.kind}: ${plural(m.parameters, 'parameter')}${dtypes ? ` (${dtypes})` : ''}, ${plural(m.tensors.length, 'tensor')}${optimizer}, ${formatBytes(m.sizeBytes)}`;
}

export function relative(cwd: string, file: string): string {
  const rel = path.relative(cwd, file) || '.';
  return rel.startsWith('..') ? file : rel.split(path.sep).join('/');
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}
