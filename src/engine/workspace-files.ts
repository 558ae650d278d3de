import * as fs from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';

/** Folders that never hold the user's own training code. */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set([
  '.git', '.hg', '.svn', 'node_modules', '__pycache__', '.venv', 'venv', '.tox', '.nox', '.mypy_cache',
  '.pytest_cache', '.ruff_cache', 'site-packages', 'dist-packages', '.ipynb_checkpoints', '.eggs',
]);

export interface FileWalkOptions {
  /** Globs (relative to the walked root, or absolute) of files and folders to leave out. */
  exclude?: readonly string[];
  /** Stop after this many files, so a huge folder cannot stall a scan. */
  maxFiles?: number;
  /** Which files to yield (default: Python sources). */
  accept?: (file: string) => boolean;
}

export const PYTHON_EXTENSIONS = ['.py', '.pyw'];

export function isPythonPath(file: string): boolean {
  return PYTHON_EXTENSIONS.includes(path.extname(file).toLowerCase());
}

/** Builds a matcher for `dlDoctor.exclude`-style globs relative to a root. */
export function excludeMatcher(root: string, exclude: readonly string[] = []): (file: string) => boolean {
  if (exclude.length === 0) return () => false;
  const match = picomatch([...exclude], { dot: true });
  return (file) => {
    const rel = path.relative(root, file).split(path.sep).join('/');
    return match(rel) || match(file) || rel.split('/').some((_, i, parts) => match(parts.slice(0, i + 1).join('/')));
  };
}

/**
 * Files under a folder (or the file itself; Python files unless `accept` says otherwise), skipping VCS folders, node_modules, virtualenvs
 * (any folder with a pyvenv.cfg) and excluded globs. Symlinked folders are not followed.
 */
export function* pythonFiles(start: string, options: FileWalkOptions = {}): Generator<string> {
  const root = fs.statSync(start).isDirectory() ? start : path.dirname(start);
  const excluded = excludeMatcher(root, options.exclude);
  const max = options.maxFiles ?? Infinity;
  const accept = options.accept ?? isPythonPath;
  let count = 0;
  if (!fs.statSync(start).isDirectory()) {
    if (!excluded(start)) yield start;
    return;
  }
  const stack = [start];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue; // unreadable folder: nothing of ours to check there
    }
    if (dir !== start && entries.some((e) => e.name === 'pyvenv.cfg')) continue;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: string[] = [];
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name) && !excluded(full)) subdirs.push(full);
      } else if (entry.isFile() && accept(entry.name) && !excluded(full)) {
        yield full;
        if (++count >= max) return;
      }
    }
    // Depth-first in name order: push in reverse so the first folder is visited first.
    stack.push(...subdirs.reverse());
  }
}
