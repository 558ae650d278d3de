import { WHOLE_FILE, type ModelRule, type RuleHit } from './rule';

export const onnxExternalDataEscape: ModelRule = {
  code: 'onnx-external-data-escape',
  drawback: 'security',
  defaultSeverity: 'error',
  title: "An ONNX model's external data points outside its folder",
  explanation: `
ONNX models larger than 2 GB keep their weights in separate files, named by each initializer's
\`external_data\` \`location\`. The ONNX loader opens that path relative to the model's folder — so a
crafted model whose location is absolute (\`/etc/passwd\`), climbs out with \`..\`, or is a symbolic link
leading elsewhere makes whoever loads it read an arbitrary file into a tensor, from which it can be
leaked through the model's outputs (the path-traversal class fixed in onnx 1.16, CVE-2024-27318 and
CVE-2024-27319). DL Doctor resolves locations itself, only inside the model's folder, and never reads
one that escapes.

## How to fix
Do not load the model. If it is yours, re-save it with \`onnx.save_model(..., save_as_external_data=True,
location="weights.bin")\` so the data file sits next to the model, and upgrade onnx to 1.16 or later.
`,
  checkModel(model): RuleHit[] {
    const escapes = 'summary' in model ? (model.summary.onnx?.externalDataEscapes ?? []) : [];
    if (escapes.length === 0) return [];
    const list = escapes.slice(0, 3).map((e) => `${e.tensor} → "${e.location}" (${e.reason})`).join('; ');
    return [
      {
        range: WHOLE_FILE,
        message:
          `${escapes.length} initializer${escapes.length === 1 ? '' : 's'} read external data from outside the model's folder: ${list}${escapes.length > 3 ? '; ...' : ''}. ` +
          `Loading this model would read those files; do not load it.`,
        data: { escapes },
      },
    ];
  },
};
