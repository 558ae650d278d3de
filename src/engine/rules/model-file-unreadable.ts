import { WHOLE_FILE, type ModelRule, type RuleHit } from './rule';

export const modelFileUnreadable: ModelRule = {
  code: 'model-file-unreadable',
  drawback: 'security',
  defaultSeverity: 'warning',
  title: 'A model file is corrupt or not what its extension says',
  explanation: `
DL Doctor reads model files statically to report their size and to check them for code that would
run when they are loaded. A file it cannot read — truncated by an interrupted download or copy, a
Git LFS pointer instead of the weights, an HTML error page saved under a \`.pt\` name — cannot be
vetted, and will most likely fail (or behave unexpectedly) when a script loads it.

## How to fix
Check the file's size against its source, download it again, or run \`git lfs pull\` if the file is a
Git LFS pointer. The message says where in the file reading stopped.
`,
  checkModel(model): RuleHit[] {
    if ('error' in model) {
      return [{ range: WHOLE_FILE, message: `Cannot read this model file: ${model.error.error}. It cannot be checked for unsafe content; download or copy it again.` }];
    }
    const weightsError = model.summary.stats?.error;
    if (!weightsError) return [];
    return [{ range: WHOLE_FILE, message: `Cannot read this model file's weights: ${weightsError}. Its metadata is intact but loading it will fail; download or copy it again.` }];
  },
};
