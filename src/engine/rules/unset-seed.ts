import { isEntryPoint, runsAtModuleLevel } from '../python/entry-point';
import { FRAMEWORK_LABELS, frameworkList, sortFrameworks, type Framework } from '../python/seeding/frameworks';
import { seedFacts, unseededFrameworks, type SeedFacts } from '../python/seeding/seed-facts';
import { seedFix } from '../python/seeding/seed-fix';
import { loadsWeightsWithoutTraining } from '../python/seeding/weights-source';
import { quoteNode } from './evidence';
import type { PythonRule, RuleHit } from './rule';

export const unsetSeed: PythonRule = {
  code: 'unset-seed',
  drawback: 'reproducibility',
  defaultSeverity: 'warning',
  title: 'Randomness is used but its generator is never seeded',
  explanation: `
Weight initialisation, data shuffling, dropout, augmentation and random sampling all draw from a
framework's global random number generator. Python's \`random\`, NumPy, PyTorch and TensorFlow each
keep their **own** generator, and each starts from a fresh, unpredictable state in every run unless
it is seeded. Two runs of an unseeded script start from different weights and see batches in a
different order, so a result — or a regression — cannot be reproduced, and a comparison between two
hyperparameter settings mixes their effect with run-to-run noise.

The rule fires on a script that draws from a generator (for example \`nn.Linear(...)\`,
\`DataLoader(shuffle=True)\`, \`np.random.rand()\`, \`tf.keras.layers.Dense(...)\`, \`random.shuffle()\`)
and seeds nothing for that framework anywhere in the file: not directly, not through a helper defined
in the file or imported from a workspace module, not in \`main()\` nor under \`if __name__ == "__main__":\`.
Modules that only define models or functions are left alone: seeding is the job of the script that runs them.
So are unit tests (\`test_*.py\`, \`*_test.py\`), calls given their own generator (\`generator=g\`) or
op-level seed (\`tf.random.normal(..., seed=1)\`), and the random initial weights of evaluation scripts
that load trained weights (\`load_state_dict\`, \`from_pretrained\`, \`load_model\`) and never train.

What counts as seeding: \`random.seed\`; \`np.random.seed\` or a generator built with a seed
(\`np.random.default_rng(seed)\`); \`torch.manual_seed\` / \`torch.cuda.manual_seed_all\`;
\`tf.random.set_seed\`; \`keras.utils.set_random_seed\` (Python, NumPy and the backend); Lightning's
\`seed_everything\`; transformers' \`set_seed\` / \`enable_full_determinism\` and its \`Trainer\`, which
seeds from \`TrainingArguments.seed\`. JAX has no global generator and is never flagged.
Layers built through standalone \`keras\` count as seeded when the file seeds NumPy or Python's
\`random\`: Keras 2.3 and older draw their default op seeds from NumPy, Keras 3 from \`random\`, and
the file does not say which Keras it runs on.

## How to fix
Seed every framework the script uses, once, before anything random happens — the quick fix
*Seed all random number generators used in this file* does this:

\`\`\`python
SEED = 42
random.seed(SEED)
np.random.seed(SEED)
torch.manual_seed(SEED)
torch.cuda.manual_seed_all(SEED)
\`\`\`

Seeding makes runs repeatable on the same hardware and library versions; bit-exact results on GPUs
also need deterministic kernels (see \`cudnn-benchmark-nondeterministic\`).
Sources: PyTorch, "Reproducibility" (pytorch.org/docs/stable/notes/randomness.html);
TensorFlow, \`tf.random.set_seed\`; Keras, \`keras.utils.set_random_seed\`.
`,
  checkPython(file): RuleHit[] {
    if (isTestFile(file.path)) return [];
    const all = seedFacts(file);
    // In an evaluation script that loads trained weights, the random initial ones are overwritten.
    const facts = loadsWeightsWithoutTraining(file) ? { ...all, uses: all.uses.filter((u) => u.kind === 'draw') } : all;
    const unseeded = unseededFrameworks(facts);
    if (unseeded.length === 0) return [];
    // Random calls at import time run in whoever imports the file; otherwise only scripts are judged.
    if (!isEntryPoint(file) && !facts.uses.some((u) => runsAtModuleLevel(u.call))) return [];
    const first = facts.uses.find((u) => unseeded.includes(u.framework))!;
    const count = facts.uses.filter((u) => unseeded.includes(u.framework)).length;
    const them = unseeded.length > 1 ? 'them' : 'it';
    const callText = first.call.text.length > 60 ? `${first.call.text.slice(0, 57)}...` : first.call.text;
    return [
      {
        range: file.range(first.call),
        message:
          `${frameworkList(unseeded)} randomness is never seeded (${count} random call${count === 1 ? '' : 's'}, ` +
          `first: ${callText.replace(/\s+/g, ' ')}): every run starts from a different state and results cannot be reproduced. ` +
          `Seed ${them} once at start-up.`,
        fixes: [seedFix(file, facts, unseeded)],
        evidence: seedEvidence(facts, unseeded),
        data: { frameworks: sortFrameworks(unseeded), randomCalls: count },
      },
    ];
  },
};

/** Per framework: how often it draws and where first, and what the file does seed. */
function seedEvidence(facts: SeedFacts, unseeded: readonly Framework[]): string[] {
  const lines = unseeded.map((framework) => {
    const uses = facts.uses.filter((u) => u.framework === framework);
    return `${FRAMEWORK_LABELS[framework]}: ${uses.length} random call${uses.length === 1 ? '' : 's'}, first ${quoteNode(uses[0].call)}; no seeding call`;
  });
  for (const { call, effect } of facts.seedingCalls) {
    if (effect === 'unknown') continue;
    const seeded = effect.filter((f) => !unseeded.includes(f));
    if (seeded.length) lines.push(`${frameworkList(seeded)} seeded by ${quoteNode(call)}`);
  }
  return lines;
}

/** pytest/unittest files: random inputs there are test data, and test suites seed through fixtures. */
function isTestFile(file: string): boolean {
  const name = file.split(/[\\/]/).pop() ?? '';
  return /^test_.*\.pyw?$|_test\.pyw?$|^conftest\.py$/.test(name);
}
