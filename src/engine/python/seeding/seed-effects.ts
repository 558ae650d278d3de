import type { Node } from 'web-tree-sitter';
import { isLibraryModule, moduleCandidates } from '../module-resolver';
import { PythonFile } from '../python-file';
import { sortFrameworks, type Framework } from './frameworks';
import { librarySeedEffect, looksLikeSeeder, type SeedEffect } from './seeding-calls';

/** Helpers call helpers; follow a few levels, as people write them, and no further. */
const MAX_HELPER_DEPTH = 4;
/** Methods that seed only their own generator object (`g = torch.Generator(); g.manual_seed(0)`). */
const OBJECT_SEEDERS = new Set(['manual_seed', 'initial_seed', 'get_seed']);

/** What a call seeds, following helpers in this file and in workspace modules it imports. */
export function seedEffectOfCall(file: PythonFile, call: Node, depth = 0): SeedEffect | undefined {
  const qualified = file.calleeName(call);
  if (qualified !== undefined) {
    const known = librarySeedEffect(file, call, qualified);
    if (known) return known;
    if (isLibraryModule(qualified) || qualified.includes('()')) return undefined;
    return importedHelperEffect(file, qualified, depth);
  }
  const local = file.localCallee(call);
  if (local) return functionEffect(file, local, depth + 1);
  const tail = file.calleeTail(call);
  if (!tail || OBJECT_SEEDERS.has(tail)) return undefined;
  return looksLikeSeeder(tail) ? 'unknown' : undefined;
}

/** Union of what the calls in a function's body seed. */
function functionEffect(file: PythonFile, fn: Node, depth: number): SeedEffect | undefined {
  if (depth > MAX_HELPER_DEPTH) return undefined;
  const key = `effect:${fn.startIndex}`;
  if (file.memo.has(key)) return file.memo.get(key) as SeedEffect | undefined;
  file.memo.set(key, undefined); // a recursive helper seeds nothing more on its second visit
  const seeded = new Set<Framework>();
  let unknown = false;
  for (const call of fn.descendantsOfType('call')) {
    if (!call) continue;
    const effect = seedEffectOfCall(file, call, depth);
    if (effect === 'unknown') unknown = true;
    else effect?.forEach((f) => seeded.add(f));
  }
  const result: SeedEffect | undefined = unknown ? 'unknown' : seeded.size ? sortFrameworks(seeded) : undefined;
  file.memo.set(key, result);
  return result;
}

/** `from utils.seed import set_all` → look into the workspace's utils/seed.py for `set_all`. */
function importedHelperEffect(file: PythonFile, qualified: string, depth: number): SeedEffect | undefined {
  const dot = qualified.lastIndexOf('.');
  const name = qualified.slice(dot + 1);
  const fallback = looksLikeSeeder(name) ? 'unknown' : undefined;
  if (dot <= 0 || depth > MAX_HELPER_DEPTH) return fallback;
  const module = qualified.slice(0, dot);
  const { workspace } = file;
  for (const candidate of moduleCandidates(module, file.path, workspace.roots)) {
    const text = workspace.reader.read(candidate);
    if (text === undefined) continue;
    file.dependencies.add(candidate);
    return moduleFunctionEffect(file, candidate, text, name, depth + 1) ?? fallback;
  }
  return fallback;
}

interface ModuleEffects {
  text: string;
  effects: Map<string, SeedEffect | undefined>;
  dependencies: Set<string>;
}

/** Effects of one module's functions, memoised per module text across all files of the workspace. */
function moduleFunctionEffect(
  importer: PythonFile,
  modulePath: string,
  text: string,
  name: string,
  depth: number,
): SeedEffect | undefined {
  const { workspace } = importer;
  const key = `seed-effects:${modulePath}`;
  let entry = workspace.memo.get(key) as ModuleEffects | undefined;
  if (!entry || entry.text !== text) {
    entry = { text, effects: new Map(), dependencies: new Set() };
    workspace.memo.set(key, entry);
  }
  if (!entry.effects.has(name)) {
    entry.effects.set(name, undefined); // import cycles end here
    const tree = workspace.parser.parse(text);
    try {
      const module = new PythonFile(modulePath, text, tree, workspace);
      const fn = module.functions.get(name);
      let effect: SeedEffect | undefined;
      if (fn) effect = functionEffect(module, fn, depth);
      else {
        // Re-exported from a package `__init__.py`: `from .seeding import set_all`.
        const binding = module.imports.get(name);
        if (binding) effect = importedHelperEffect(module, binding.qualified, depth);
      }
      entry.effects.set(name, effect);
      module.dependencies.forEach((d) => entry!.dependencies.add(d));
    } finally {
      tree.delete();
    }
  }
  entry.dependencies.forEach((d) => importer.dependencies.add(d));
  return entry.effects.get(name);
}
