import type { Node } from 'web-tree-sitter';
import type { Fix } from '../finding';
import type { PythonFile } from '../python/python-file';
import { seedFacts } from '../python/seeding/seed-facts';
import { torchSeedingEvidence } from './evidence';
import type { PythonRule, RuleHit } from './rule';

export const cudnnBenchmarkNondeterministic: PythonRule = {
  code: 'cudnn-benchmark-nondeterministic',
  drawback: 'reproducibility',
  defaultSeverity: 'info',
  title: 'cuDNN benchmark mode undoes the seeding',
  explanation: `
With \`torch.backends.cudnn.benchmark = True\`, cuDNN times several convolution algorithms on the
first batches and keeps the fastest. Which one wins depends on timing noise and the GPU, and the
candidates do not give bit-identical results, so two runs of a seeded script can still diverge.
This rule fires only when the file seeds PyTorch, i.e. when reproducibility was clearly intended.

## How to fix
For reproducible runs, turn benchmarking off and ask for deterministic kernels:

\`\`\`python
torch.backends.cudnn.benchmark = False
torch.backends.cudnn.deterministic = True  # or torch.use_deterministic_algorithms(True)
\`\`\`

Benchmark mode speeds up training with fixed input sizes; if speed matters more than exact
repeatability, keep it and suppress this finding. Source: PyTorch, "Reproducibility"
(pytorch.org/docs/stable/notes/randomness.html), section "CUDA convolution benchmarking".
`,
  checkPython(file): RuleHit[] {
    const facts = seedFacts(file);
    if (!facts.seeded.has('torch') && !facts.seededUnknown) return [];
    const hits: RuleHit[] = [];
    for (const assignment of file.assignments) {
      const left = assignment.childForFieldName('left');
      const right = assignment.childForFieldName('right');
      if (!left || !right || file.qualifiedName(left) !== 'torch.backends.cudnn.benchmark') continue;
      const value = file.evaluate(right);
      if (value?.value !== true) continue;
      hits.push({
        range: file.range(assignment),
        message:
          'cudnn.benchmark = True picks convolution algorithms by timing, so this seeded script can still give different results run to run. ' +
          'Set it to False (and cudnn.deterministic = True) for reproducible runs.',
        fixes: [benchmarkOff(file, right)],
        evidence: [`\`torch.backends.cudnn.benchmark\` = True${value.via ? ` from ${value.via}` : ''}`, ...torchSeedingEvidence(file)],
      });
    }
    return hits;
  },
};

function benchmarkOff(file: PythonFile, value: Node): Fix {
  return { title: 'Set cudnn.benchmark = False', edits: [{ range: file.range(value), newText: 'False' }] };
}
