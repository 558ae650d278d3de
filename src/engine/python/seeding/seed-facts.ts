import type { Node } from 'web-tree-sitter';
import type { PythonFile } from '../python-file';
import { FRAMEWORKS, normalizeKeras, type Framework } from './frameworks';
import { seededThroughKerasDefaults } from './keras-default-seeds';
import { classifyRandomUse, type RandomUse } from './random-uses';
import { seedEffectOfCall } from './seed-effects';

/** What the reproducibility rules need to know about one file, computed once and shared. */
export interface SeedFacts {
  /** Calls that draw from a global generator, in document order. */
  uses: RandomUse[];
  /** Frameworks seeded somewhere in the file (directly, through a helper, in main or under __main__). */
  seeded: Set<Framework>;
  /** A helper we cannot see into seeds something: assume it seeds everything. */
  seededUnknown: boolean;
  /** Seeding calls with what they seed, in document order. */
  seedingCalls: { call: Node; effect: readonly Framework[] | 'unknown' }[];
  /** The frameworks the file imports (any spelling). */
  imported: Set<Framework>;
}

const FRAMEWORK_ROOTS: Record<string, Framework> = {
  random: 'random',
  numpy: 'numpy',
  torch: 'torch',
  torchvision: 'torch',
  tensorflow: 'tensorflow',
  keras: 'tensorflow',
  tf_keras: 'tensorflow',
};

export function seedFacts(file: PythonFile): SeedFacts {
  const cached = file.memo.get('seed-facts') as SeedFacts | undefined;
  if (cached) return cached;
  const imported = importedFrameworks(file);
  const facts: SeedFacts = { uses: [], seeded: new Set(), seededUnknown: false, seedingCalls: [], imported };
  const importsFramework = (f: Framework) => imported.has(f);
  for (const call of file.calls) {
    const use = classifyRandomUse(file, call, importsFramework);
    if (use) {
      facts.uses.push({ ...use, call });
      continue;
    }
    const effect = seedEffectOfCall(file, call);
    if (!effect) continue;
    facts.seedingCalls.push({ call, effect });
    if (effect === 'unknown') facts.seededUnknown = true;
    else effect.forEach((f) => facts.seeded.add(f));
  }
  facts.uses = facts.uses.filter((use) => !seededThroughKerasDefaults(file, use, facts.seeded));
  file.memo.set('seed-facts', facts);
  return facts;
}

/** Frameworks used but not seeded, in catalogue order. */
export function unseededFrameworks(facts: SeedFacts): Framework[] {
  if (facts.seededUnknown) return [];
  const used = new Set(facts.uses.map((u) => u.framework));
  return FRAMEWORKS.filter((f) => used.has(f) && !facts.seeded.has(f));
}

function importedFrameworks(file: PythonFile): Set<Framework> {
  const found = new Set<Framework>();
  for (const binding of file.imports.values()) {
    const root = normalizeKeras(binding.qualified).split('.')[0];
    const framework = FRAMEWORK_ROOTS[root];
    if (framework) found.add(framework);
  }
  return found;
}
