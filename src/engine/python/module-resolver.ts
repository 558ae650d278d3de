import * as path from 'node:path';

/** Reads workspace files for cross-file analysis; the server serves open editors' text from memory. */
export interface SourceReader {
  /** The file's text, or undefined when it does not exist, is not text, or is too large. */
  read(file: string): string | undefined;
}

/** Roots of well-known libraries: never looked up in the workspace, even if a folder shares the name. */
const LIBRARY_ROOTS = new Set([
  'random', 'numpy', 'torch', 'torchvision', 'torchaudio', 'tensorflow', 'keras', 'tf_keras', 'jax', 'flax',
  'sklearn', 'pandas', 'transformers', 'datasets', 'lightning', 'pytorch_lightning', 'lightning_fabric',
  'accelerate', 'timm', 'os', 'sys', 'math', 'json', 'argparse', 'logging', 'typing', 'dataclasses',
]);

export function isLibraryModule(qualified: string): boolean {
  return LIBRARY_ROOTS.has(qualified.replace(/^\.+/, '').split('.')[0]);
}

/**
 * Candidate files for a module name as Python would find them from `fromFile`: relative imports
 * against the file's package, absolute ones against the script's folder (sys.path[0]), its parent
 * folders up to a workspace root, and the roots themselves (and their `src/`).
 */
export function moduleCandidates(module: string, fromFile: string, roots: readonly string[]): string[] {
  const relative = /^(\.+)(.*)$/.exec(module);
  const bases: string[] = [];
  let parts: string[];
  if (relative) {
    let base = path.dirname(fromFile);
    for (let i = 1; i < relative[1].length; i++) base = path.dirname(base);
    bases.push(base);
    parts = relative[2] ? relative[2].split('.') : [];
  } else {
    parts = module.split('.');
    const root = roots.find((r) => isInside(fromFile, r));
    for (let dir = path.dirname(fromFile); ; dir = path.dirname(dir)) {
      bases.push(dir);
      if (!root || dir === root || !isInside(dir, root) || dir === path.dirname(dir)) break;
    }
    for (const r of roots) bases.push(r, path.join(r, 'src'));
  }
  const seen = new Set<string>();
  const candidates: string[] = [];
  for (const base of bases) {
    const stem = path.join(base, ...parts);
    for (const candidate of parts.length ? [`${stem}.py`, path.join(stem, '__init__.py')] : [path.join(stem, '__init__.py')]) {
      if (!seen.has(candidate)) {
        seen.add(candidate);
        candidates.push(candidate);
      }
    }
  }
  return candidates;
}

function isInside(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
