import type { CodeLens } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import { formatCount } from '../engine/cost/training-memory';
import { formatBytes } from '../engine/source-files';
import { OPEN_MODEL_REPORT_COMMAND } from '../protocol/requests';
import type { CheckedFile } from './checker';

const KINDS: Record<string, string> = { state_dict: 'state dict', module: 'pickled module', checkpoint: 'training checkpoint', other: 'pickle' };

/** "1,498 parameters · state dict · 8.7 KB · 1 finding" on a line that loads a workspace model file. */
export function modelLens(range: CodeLens['range'], modelFile: string, checked: CheckedFile | undefined): CodeLens {
  const uri = URI.file(modelFile).toString();
  const summary = checked?.result.model;
  const findings = checked?.result.findings.length ?? 0;
  const title = summary
    ? [
        `${formatCount(summary.parameters)} parameters`,
        KINDS[summary.kind] ?? summary.kind,
        formatBytes(summary.sizeBytes),
        ...(findings ? [`${findings} finding${findings === 1 ? '' : 's'}`] : []),
      ].join(' · ')
    : `model file cannot be read${findings ? ` · ${findings} finding${findings === 1 ? '' : 's'}` : ''}`;
  return { range, command: { title: `DL Doctor: ${title}`, command: OPEN_MODEL_REPORT_COMMAND, arguments: [uri] } };
}
