import { WHOLE_FILE, type ModelRule, type RuleHit } from './rule';

export const kerasLambdaLayer: ModelRule = {
  code: 'keras-lambda-layer',
  drawback: 'security',
  defaultSeverity: 'error',
  title: 'Loading this Keras model can run arbitrary code',
  explanation: `
A Keras \`Lambda\` layer stores its function as marshalled Python bytecode; \`keras.models.load_model\`
rebuilds and runs it. Config entries that name a \`module\` outside Keras make Keras import that module
and call what the entry names — the pattern behind CVE-2025-1550, which ran code even with
\`safe_mode=True\` before Keras 3.9. A model file from an untrusted source with either can execute
anything when loaded. DL Doctor reads the config as JSON and never deserialises it.

## How to fix
Do not load the file unless you trust its source. Replace \`Lambda\` layers with subclassed layers
registered in your code, load with \`safe_mode=True\` on Keras 3.9 or later, and prefer sharing weights
(\`model.save_weights\`) plus code over whole pickled or marshalled models.
`,
  checkModel(model): RuleHit[] {
    const unsafe = 'summary' in model ? (model.summary.keras?.unsafeConfig ?? []) : [];
    if (unsafe.length === 0) return [];
    const list = unsafe.slice(0, 4).map((u) => u.what).join('; ');
    return [
      {
        range: WHOLE_FILE,
        message: `${list}${unsafe.length > 4 ? `; and ${unsafe.length - 4} more` : ''}. keras.models.load_model would run that code; do not load this file from an untrusted source.`,
        data: { unsafe },
      },
    ];
  },
};
