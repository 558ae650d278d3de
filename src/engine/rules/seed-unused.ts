import type { PythonFile } from '../python/python-file';
import { seedDeclarations } from '../python/seeding/seed-declarations';
import { seedFacts } from '../python/seeding/seed-facts';
import { codeSpan, quoteNode } from './evidence';
import type { PythonRule, RuleHit } from './rule';

export const seedUnused: PythonRule = {
  code: 'seed-unused',
  drawback: 'reproducibility',
  defaultSeverity: 'warning',
  title: 'A seed is declared but never applied',
  explanation: `
A \`--seed\` option, a \`SEED\` constant or a \`"seed"\` entry in a config dict promises reproducible runs.
When the value never reaches a seeding call, the promise is empty: the run logs "seed=42", readers
trust it, and the next run still differs. This is worse than no seed at all, because it hides the
problem from whoever tries to reproduce the result.

The rule fires when the declared value is never read (or is only printed or logged). It stays silent
when the value, or the whole parsed-arguments object or config, is handed to code it cannot follow —
another module may well apply it.

## How to fix
Pass the value to the seeding calls of every framework the script uses, before anything random
happens:

\`\`\`python
args = parser.parse_args()
random.seed(args.seed)
np.random.seed(args.seed)
torch.manual_seed(args.seed)
\`\`\`

or, with Lightning, \`seed_everything(args.seed)\`; with transformers, \`set_seed(args.seed)\`. If the
seed is not needed, delete the declaration so nobody relies on it.
`,
  checkPython(file): RuleHit[] {
    const hits: RuleHit[] = [];
    for (const declaration of seedDeclarations(file)) {
      if (declaration.used !== false) continue;
      const value = declaration.valueText ? ` (${declaration.valueText})` : '';
      const where = declaration.kind === 'argparse' ? 'is parsed' : 'is set';
      hits.push({
        range: file.range(declaration.node),
        message:
          `Seed ${declaration.label}${value} ${where} but never reaches a seeding call: ` +
          `runs still differ. Pass it to the seeding calls, e.g. ${exampleSeeder(file)}(...), or remove it.`,
        evidence: [
          `${codeSpan(declaration.label)}${declaration.valueText ? ` = ${codeSpan(declaration.valueText)}` : ''}, declared at line ${declaration.node.startPosition.row + 1}; read by no seeding call`,
          ...seedingCallsEvidence(file),
        ],
        data: { declaration: declaration.label, kind: declaration.kind, value: declaration.valueText },
      });
    }
    return hits;
  },
};

/** The seeding calls the file does make, which use some other value (two at most). */
function seedingCallsEvidence(file: PythonFile): string[] {
  const calls = seedFacts(file).seedingCalls;
  if (calls.length === 0) return ['the file makes no seeding call'];
  return calls.slice(0, 2).map(({ call }) => `seeding call ${quoteNode(call)} does not use it`);
}

/** A seeding call in the file's own framework, so the suggestion fits the script. */
function exampleSeeder(file: PythonFile): string {
  const imported = seedFacts(file).imported;
  if (imported.has('torch')) return 'torch.manual_seed';
  if (imported.has('tensorflow')) return 'tf.random.set_seed';
  if (imported.has('numpy')) return 'np.random.seed';
  return 'random.seed';
}
