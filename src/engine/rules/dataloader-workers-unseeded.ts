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
A \`DataLoader\` with \`num_workers > 0\` loads batches in separate worker processes. The shuffle order
and each worker's seed derive from the main process's generator at the moment the iterator is
created, and random augmentations inside workers draw from per-worker generators that libraries
such as NumPy and Python's \`random\` do not reseed reliably. PyTorch's reproducibility notes therefore
recommend passing an explicitly seeded \`generator=\` and a \`worker_init_fn\` that seeds NumPy and
\`random\` in each worker. This rule fires only when the file seeds PyTorch, i.e. when reproducibility
was clearly intended.

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
          'batch order and worker-side augmentation can differ between runs despite the seed. Pass a seeded torch.Generator and a worker_init_fn.',
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
