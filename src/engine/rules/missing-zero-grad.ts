import type { Node } from 'web-tree-sitter';
import type { Fix } from '../finding';
import type { PythonFile } from '../python/python-file';
import { assignsGradNone, zeroesGradients } from '../python/training-setup/gradient-zeroing';
import { trainingLoops, type TrainingLoop } from '../python/training-setup/training-loops';
import { quoteNode } from './evidence';
import type { PythonRule, RuleHit } from './rule';

export const missingZeroGrad: PythonRule = {
  code: 'missing-zero-grad',
  drawback: 'hyperparameters',
  defaultSeverity: 'warning',
  title: 'PyTorch training loop never zeroes the gradients',
  explanation: `
In PyTorch, \`loss.backward()\` **adds** the new gradients to whatever is already stored in each
parameter's \`.grad\`; nothing clears them automatically. A loop that calls \`backward()\` and
\`optimizer.step()\` but never zeroes the gradients steps along the running sum of every batch's
gradient since the start. The update grows with the step count, as if the learning rate rose every
iteration, and momentum and Adam's moment estimates see a signal that no longer matches the current
batch: training oscillates or diverges, and a learning rate tuned elsewhere no longer means the same
thing. That is why the rule counts under hyperparameter sensitivity: the configured step size is not
the step size the optimizer takes.

The rule looks at the innermost loop that runs both \`backward()\` (on the loss, with no positional
argument) and \`step()\` of an optimizer (a name built from \`torch.optim\`, a known optimizer class,
or named like one; \`scaler.step(optimizer)\` with AMP), including the helper functions of the file
that the loop calls. It accepts \`optimizer.zero_grad()\`, \`model.zero_grad()\` (with or without
\`set_to_none\`), \`p.grad = None\`, \`p.grad.zero_()\` and helpers named for it (\`clear_grads\`).
Gradient accumulation — zeroing every *N* steps under an \`if\` — is fine. Lightning's automatic
optimization, Hugging Face's \`Trainer\`, \`accelerator.backward(loss)\` and DeepSpeed's
\`engine.backward(loss)\` / \`engine.step()\` are not judged: they zero gradients for you (or, for
Accelerate, the rule cannot tell the loss call apart from DeepSpeed's).

## How to fix
Zero the gradients once per optimizer step, before the backward pass:

\`\`\`python
for inputs, targets in loader:
    optimizer.zero_grad(set_to_none=True)
    loss = criterion(model(inputs), targets)
    loss.backward()
    optimizer.step()
\`\`\`

Sources: PyTorch, "Zeroing out gradients in PyTorch" (pytorch.org/tutorials/recipes/recipes/zeroing_out_gradients.html);
\`torch.optim.Optimizer.zero_grad\` (pytorch.org/docs/stable/generated/torch.optim.Optimizer.zero_grad.html).
`,
  checkPython(file): RuleHit[] {
    const loops = trainingLoops(file);
    if (loops.length === 0 || assignsGradNone(file)) return [];
    const hits: RuleHit[] = [];
    for (const training of loops) {
      if (training.calls.some((c) => zeroesGradients(file, c))) continue;
      const outside = file.calls.find((c) => zeroesGradients(file, c));
      const evidence = [
        `${quoteNode(training.backward)} and ${quoteNode(training.step)} run in ${loopHeader(training.loop)}`,
        `nothing in that loop, or in the functions of this file it calls, zeroes the gradients (\`zero_grad()\`, \`p.grad = None\`, \`p.grad.zero_()\`)`,
      ];
      if (outside) evidence.push(`${quoteNode(outside)} runs outside that loop, so it clears the gradients at most once`);
      const step = `${training.optimizer}.step()`;
      hits.push({
        range: file.range(training.backward),
        message:
          `Gradients are never zeroed in this loop: ${training.backward.text.replace(/\s+/g, ' ')} adds to every parameter's .grad, ` +
          `so ${step} (line ${training.step.startPosition.row + 1}) applies the sum of all gradients so far. ` +
          `Call ${training.optimizer}.zero_grad() before the backward pass.`,
        evidence,
        fixes: zeroGradFix(file, training),
        data: { optimizer: training.optimizer, stepLine: training.step.startPosition.row + 1 },
      });
    }
    return hits;
  },
};

/** The loop as evidence names it: "the loop over `enumerate(loader)` (line 27)" rather than its whole body. */
export function loopHeader(loop: Node): string {
  const over = loop.childForFieldName('right');
  if (over) return `the loop over ${quoteNode(over)}`;
  const condition = loop.childForFieldName('condition');
  return condition ? `the loop while ${quoteNode(condition)}` : `the loop on line ${loop.startPosition.row + 1}`;
}

/** Insert `optimizer.zero_grad()` on its own line above the backward call, when that call is a statement of the loop. */
function zeroGradFix(file: PythonFile, training: TrainingLoop): Fix[] {
  const statement = training.backward.parent;
  if (statement?.type !== 'expression_statement' || statement.parent?.type !== 'block') return [];
  if (statement.startIndex < training.loop.startIndex || statement.endIndex > training.loop.endIndex) return [];
  const line = statement.startPosition.row;
  const indent = /^\s*/.exec(file.lineText(line))![0];
  if (indent.length !== statement.startPosition.column) return [];
  return [
    {
      title: `Call ${training.optimizer}.zero_grad() before the backward pass`,
      edits: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}${training.optimizer}.zero_grad()${file.eol}` }],
      isPreferred: true,
    },
  ];
}

