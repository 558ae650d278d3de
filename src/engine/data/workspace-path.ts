import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { PythonFile } from '../python/python-file';

/** A path from the script, found on disk. */
export interface FoundPath {
  absolute: string;
  /** As the user would name it: relative to the workspace folder it was found in, else absolute. */
  display: string;
  /** How a relative path was resolved, for the notes. */
  resolvedAgainst?: string;
}

/**
 * Finds the file or folder a script names. Python resolves a relative path against the process's
 * working directory, which is unknown statically: the candidates are each workspace folder (where a
 * terminal or a launch configuration usually starts) and then the script's own folder. The first that
 * exists wins, and the note says which. Returns undefined when none exists: no estimate, no guess.
 */
export async function findWorkspacePath(file: PythonFile, written: string, kind: 'file' | 'folder'): Promise<FoundPath | undefined> {
  const candidates: Array<{ absolute: string; against?: string }> = [];
  if (path.isAbsolute(written)) candidates.push({ absolute: path.normalize(written) });
  else {
    for (const root of file.workspace.roots) candidates.push({ absolute: path.resolve(root, written), against: 'the workspace folder' });
    candidates.push({ absolute: path.resolve(path.dirname(file.path), written), against: "the script's folder" });
  }
  for (const candidate of candidates) {
    try {
      const stat = await fs.stat(candidate.absolute);
      if (kind === 'file' ? !stat.isFile() : !stat.isDirectory()) continue;
    } catch {
      continue;
    }
    const root = file.workspace.roots.find((r) => candidate.absolute === r || candidate.absolute.startsWith(r + path.sep));
    const display = root ? path.relative(root, candidate.absolute).split(path.sep).join('/') || '.' : candidate.absolute;
    return { absolute: candidate.absolute, display: kind === 'folder' ? `${display.replace(/\/$/, '')}/` : display, resolvedAgainst: candidate.against };
  }
  return undefined;
}
