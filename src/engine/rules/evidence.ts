import type { Node } from 'web-tree-sitter';
import type { PythonFile } from '../python/python-file';
import { seedFacts } from '../python/seeding/seed-facts';

/** Longest code excerpt an evidence line quotes; longer calls are cut with an ellipsis. */
const MAX_SNIPPET = 60;

/**
 * A piece of source as evidence shows it: "`nn.Linear(784, 10)` (line 5)" — one line, whitespace
 * collapsed, cut at 60 characters, with the 1-based line a reader finds it on.
 */
export function quoteNode(node: Node): string {
  return `${codeSpan(node.text)} (line ${node.startPosition.row + 1})`;
}

/** Inline markdown code; Python rarely contains backticks, but a span must not end early on one. */
export function codeSpan(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const cut = flat.length > MAX_SNIPPET ? `${flat.slice(0, MAX_SNIPPET - 1)}…` : flat;
  return cut.includes('`') ? `\`\` ${cut} \`\`` : `\`${cut}\``;
}

/** Why a PyTorch-only rule thinks reproducibility was intended: the calls that seed PyTorch (two at most). */
export function torchSeedingEvidence(file: PythonFile): string[] {
  return seedFacts(file)
    .seedingCalls.filter(({ effect }) => effect === 'unknown' || effect.includes('torch'))
    .slice(0, 2)
    .map(({ call, effect }) =>
      effect === 'unknown'
        ? `${quoteNode(call)} is taken to seed PyTorch (a seeding helper DL Doctor cannot see into), so reproducible runs are intended`
        : `PyTorch seeded by ${quoteNode(call)}, so reproducible runs are intended`,
    );
}
