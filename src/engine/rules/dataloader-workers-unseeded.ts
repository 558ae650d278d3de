import type { Node } from 'web-tree-sitter';
import type { PythonFile } from '../python/python-file';
import { seedFacts } from '../python/seeding/seed-facts';
import { codeSpan, torchSeedingEvidence } from './evidence';
import type { PythonRule, RuleHit } from './rule';

export const dataloaderWorkersUnseeded: PythonRule = {
  code: 'dataloader-workers-unseeded',
  drawback: 'reproducibility',
  defaultSeverity: 'info',
  title: 'Shuffling DataLoader with worker processes has no generator or worker_init_fn',
  explanation: `
A shuffling \`DataLoader\` without \`generator=\` draws its shuffle order, and the seeds of its worker
processes, from PyTorch's global generator each time an epoch's iterator is created. Since PyTorch 1.9
each worker then seeds \`random\`, \`torch\` and NumPy from that seed (\`torch/utils/data/_utils/worker.py\`),
so a seeded script repeats itself exactly — as long as nothing else changes. But the global generator is
shared with everything else that draws random numbers before the loader: initialising another model, an
extra augmentation or a dropout layer shifts it, and with it the order of every batch and every worker's
augmentations, although the seed is the same. Comparing two models "on the same data order" then compares
them on different orders. A dedicated, seeded \`generator=\` keeps the data order fixed whatever the rest
of the script draws; PyTorch's reproducibility notes also pass a \`worker_init_fn\` for libraries that
keep their own generators (and for PyTorch before 1.9, whose workers did not reseed NumPy). This rule
fires only when the file seeds PyTorch, i.e. when reproducibility was clearly intended, and only for
loaders with worker processes, where the workers' seeds depend on the same draw.

## How to fix
\`\`\`python
def seed_worker(worker_id):
    worker_seed = torch.initial_seed() % 2**32
    np.random.seed(worker_seed)
    random.seed(worker_seed)

g = torch.Generator()
g.manual_seed(SEED)
loader = DataLoader(dataset, batch_size=64, shuffle=True, num_workers=4,
                    worker_init_fn=seed_worker, generator=g)
\`\`\`
With Lightning, \`seed_everything(seed, workers=True)\` makes the Trainer add such a \`worker_init_fn\`
to every DataLoader, and \`LightningCLI\` seeds that way itself; the rule accepts both.
Source: PyTorch, "Reproducibility" (pytorch.org/docs/stable/notes/randomness.html), section "DataLoader";
Lightning, \`seed_everything\` (lightning.ai/docs/pytorch/stable/common/trainer.html#reproducibility).
`,
  checkPython(file): RuleHit[] {
    const facts = seedFacts(file);
    if (!facts.seeded.has('torch') && !facts.seededUnknown) return [];
    if (facts.seedingCalls.some(({ call }) => seedsWorkers(file, call))) return [];
    const hits: RuleHit[] = [];
    for (const call of file.calls) {
      const name = file.calleeName(call);
      if (!name || !/^torch\.utils\.data(\.dataloader)?\.DataLoader$/.test(name) || file.hasSplat(call)) continue;
      const workers = file.evaluate(file.keywordArgument(call, 'num_workers'));
      const shuffle = file.evaluate(file.keywordArgument(call, 'shuffle'));
      if (typeof workers?.value !== 'number' || workers.value <= 0 || shuffle?.value !== true) continue;
      if (file.keywordArgument(call, 'generator') || file.keywordArgument(call, 'worker_init_fn')) continue;
      const via = workers.via ? ` (from ${workers.via})` : '';
      hits.push({
        range: file.range(call),
        message:
          `DataLoader shuffles with num_workers=${workers.value}${via} but has neither generator= nor worker_init_fn=: ` +
          'its batch order and its workers\' seeds come from the global torch generator, so they change whenever code before it draws other random numbers (another model, an extra augmentation), even with the same seed. Pass a seeded torch.Generator as generator=.',
        evidence: [
          `\`num_workers\` = ${workers.value}${workers.via ? ` from ${workers.via}` : ''}`,
          `\`shuffle\` = True${shuffle.via ? ` from ${shuffle.via}` : ''}`,
          ...torchSeedingEvidence(file),
          `no \`generator=\` or \`worker_init_fn=\` in ${codeSpan(file.calleeTail(call) ?? 'DataLoader')}`,
        ],
        data: { numWorkers: workers.value, via: workers.via },
      });
    }
    return hits;
  },
};

/** Lightning's `seed_everything(seed, workers=True)`: the Trainer then seeds every DataLoader worker. */
function seedsWorkers(file: PythonFile, call: Node): boolean {
  const name = file.calleeName(call) ?? '';
  // LightningCLI seeds with seed_everything(seed, workers=True) itself.
  if (name.endsWith('.LightningCLI')) return true;
  return name.endsWith('seed_everything') && file.evaluate(file.keywordArgument(call, 'workers'))?.value === true;
}
