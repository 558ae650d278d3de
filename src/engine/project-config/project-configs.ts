import * as fs from 'node:fs';
import * as path from 'node:path';
import { hitSeverity, type RuleConfig } from '../config';
import type { Finding } from '../finding';
import { invalidConfig } from '../rules/invalid-config';
import { excludeMatcher } from '../workspace-files';
import { parsePyproject, type ProjectConfig } from './pyproject';

export const PYPROJECT = 'pyproject.toml';
/** A pyproject.toml is a few KB; one this large is not read (and so configures nothing). */
export const MAX_PYPROJECT_BYTES = 1024 * 1024;

export function isPyprojectPath(file: string): boolean {
  return path.basename(file) === PYPROJECT;
}

/**
 * Finds and caches the project configuration of each file: the nearest pyproject.toml with a
 * `[tool.dl-doctor]` table (or a broken one that mentions it), walking up from the file's folder to
 * `stopAt` (a workspace folder) or the file system's root. Read from disk; `clear()` when one changes.
 */
export class ProjectConfigs {
  private readonly byFolder = new Map<string, string | null>();
  private readonly byFile = new Map<string, ProjectConfig | null>();
  private readonly matchers = new Map<string, (file: string) => boolean>();

  /** The configuration that governs `file`, if any. */
  forFile(file: string, stopAt?: string): ProjectConfig | undefined {
    const visited: string[] = [];
    let found: string | null = null;
    for (let dir = path.dirname(path.resolve(file)); ; dir = path.dirname(dir)) {
      const key = `${dir}\u0000${stopAt ?? ''}`;
      const cached = this.byFolder.get(key);
      if (cached !== undefined) {
        found = cached;
        break;
      }
      visited.push(key);
      const candidate = path.join(dir, PYPROJECT);
      if (this.load(candidate)) {
        found = candidate;
        break;
      }
      if ((stopAt && path.resolve(stopAt) === dir) || path.dirname(dir) === dir) break;
    }
    for (const key of visited) this.byFolder.set(key, found);
    return found ? this.load(found) : undefined;
  }

  /** One pyproject.toml, parsed once; undefined when it does not configure DL Doctor or cannot be read. */
  load(file: string, text?: string): ProjectConfig | undefined {
    if (text !== undefined) return parsePyproject(file, text);
    let config = this.byFile.get(file);
    if (config === undefined) {
      const content = readSmallFile(file);
      config = (content !== undefined && parsePyproject(file, content)) || null;
      this.byFile.set(file, config);
    }
    return config ?? undefined;
  }

  /** Whether the configuration's `exclude` globs (relative to its folder) leave `file` out. */
  isExcluded(config: ProjectConfig, file: string): boolean {
    if (config.exclude.length === 0) return false;
    const key = `${config.file}\u0000${config.exclude.join('\u0000')}`;
    let matcher = this.matchers.get(key);
    if (!matcher) this.matchers.set(key, (matcher = excludeMatcher(path.dirname(config.file), config.exclude)));
    return matcher(file);
  }

  /** Every configuration read so far (the CLI reports their problems). */
  loaded(): ProjectConfig[] {
    return [...this.byFile.values()].filter((c): c is ProjectConfig => c !== null);
  }

  clear(): void {
    this.byFolder.clear();
    this.byFile.clear();
    this.matchers.clear();
  }
}

/** The problems of a configuration as findings on its pyproject.toml (rule `invalid-config`). */
export function configFindings(config: ProjectConfig, rules: RuleConfig | undefined): Finding[] {
  const findings: Finding[] = [];
  // `select` narrows the checks of code; a broken configuration is reported unless switched off by name.
  const unselected = { ...rules, select: undefined };
  for (const problem of config.problems) {
    const severity = hitSeverity(invalidConfig.code, invalidConfig.defaultSeverity, problem.severity, unselected);
    if (!severity) continue;
    findings.push({ rule: invalidConfig.code, drawback: invalidConfig.drawback, severity, file: config.file, range: problem.range, message: problem.message });
  }
  return findings;
}

function readSmallFile(file: string): string | undefined {
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile() || stat.size > MAX_PYPROJECT_BYTES) return undefined;
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined; // absent or unreadable: it configures nothing
  }
}
