/**
 * The benchmark corpus: 1,000 generated training-script files in 50 projects of 20, written once
 * to a cache folder and rewritten only where a file's content changed. Every file is a function of
 * (CORPUS_SEED, project, file index), so the corpus is the same on every machine, and the first
 * ten projects are the same files whether or not the rest exist (the --quick subset).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Seeding } from './generate/main-function';
import type { Framework, ProjectApi } from './generate/python-file';
import { Random } from './generate/random';
import { generateFile, type FileRole } from './generate/script';
import { ADJECTIVES, DATA, NOUNS, PROJECTS, VERBS } from './generate/vocab';

/**
 * A bare mulberry32 stream; test/unit/models/fuzz.test.ts draws its mutations from it, so its
 * sequence for a given seed must never change.
 */
export function prng(seed: number): () => number {
  const random = new Random(seed);
  return () => random.next();
}

export const CORPUS_SEED = 20261124;
export const FILES_PER_PROJECT = 20;
const MIN_LINES = 50;
const MAX_LINES = 400;

export interface CorpusFile {
  /** Path relative to the corpus folder. */
  relative: string;
  text: string;
  lines: number;
}

export interface CorpusProject {
  /** Absolute folder. */
  dir: string;
  framework: Framework;
  files: CorpusFile[];
}

export interface Corpus {
  dir: string;
  /** In order; the quick subset is a prefix of them. */
  projects: CorpusProject[];
  files: CorpusFile[];
  bytes: number;
  lines: number;
}

const SCRIPT_PREFIXES = ['train', 'finetune', 'pretrain', 'sweep', 'ablate', 'baseline', 'run', 'distill'];

function trainSeeding(rand: Random, project: ProjectApi): Seeding {
  const seeding = rand.weighted({ none: 30, direct: 20, 'local-helper': 10, 'project-helper': 20, partial: 10, unused: 10 });
  return seeding === 'project-helper' && !project.seedHelper ? 'direct' : seeding;
}

/** A file of MIN_LINES..MAX_LINES lines; a draw that lands outside is redrawn (same generator, so still deterministic). */
function fileWithin(rand: Random, role: FileRole, project: ProjectApi, seeding?: Seeding) {
  let last: ReturnType<typeof generateFile> | undefined;
  for (let attempt = 0; attempt < 20; attempt++) {
    last = generateFile(rand, { role, project, targetLines: rand.int(MIN_LINES + 10, MAX_LINES - 10), seeding });
    const lines = last.text.split('\n').length;
    if (lines >= MIN_LINES && lines <= MAX_LINES) return last;
  }
  return last!;
}

function generateProject(index: number): { folder: string; framework: Framework; files: CorpusFile[] } {
  const rand = Random.for(CORPUS_SEED, index);
  const framework = rand.weighted<Framework>({ torch: 45, keras: 25, numpy: 15, lightning: 15 });
  const name = rand.pick(PROJECTS);
  const folder = `p${String(index).padStart(3, '0')}_${name}_${rand.pick(ADJECTIVES)}`;
  const project: ProjectApi = {
    name,
    framework,
    seedHelper: rand.chance(0.6) ? rand.pick(['set_seed', 'seed_everything', 'set_random_seed', 'fix_seed']) : undefined,
    models: [],
  };
  const files: CorpusFile[] = [];
  const add = (file: string, text: string) => files.push({ relative: path.join(folder, file), text, lines: text.split('\n').length });

  const models = fileWithin(rand, 'models', project);
  project.models = models.file.modelRefs();
  add('models.py', models.text);
  add('utils.py', fileWithin(rand, 'utils', project).text);
  add(rand.pick(['data.py', 'datasets.py', 'dataset.py']), fileWithin(rand, 'data', project).text);

  const names = new Set(['train.py']);
  while (names.size < FILES_PER_PROJECT - 3) {
    const evalScript = rand.chance(0.2);
    const stem = evalScript ? rand.pick(['eval', 'evaluate', 'test_time', 'predict', 'infer']) : rand.pick(SCRIPT_PREFIXES);
    names.add(`${stem}_${rand.pick([...NOUNS, ...DATA, ...VERBS, ...ADJECTIVES])}${rand.chance(0.3) ? `_v${rand.int(2, 5)}` : ''}.py`);
  }
  for (const file of names) {
    const role: FileRole = /^(eval|evaluate|test_time|predict|infer)_/.test(file) ? 'eval' : 'train';
    add(file, fileWithin(rand, role, project, role === 'eval' ? 'none' : trainSeeding(rand, project)).text);
  }
  return { folder, framework, files };
}

/** Generates the corpus in memory: `fileCount` files (rounded up to whole projects). */
export function generateCorpus(dir: string, fileCount: number): Corpus {
  const projects: CorpusProject[] = [];
  for (let p = 0; p < Math.ceil(fileCount / FILES_PER_PROJECT); p++) {
    const project = generateProject(p);
    projects.push({ dir: path.join(dir, project.folder), framework: project.framework, files: project.files });
  }
  return corpusOf(dir, projects);
}

function corpusOf(dir: string, projects: CorpusProject[]): Corpus {
  const files = projects.flatMap((p) => p.files);
  return { dir, projects, files, bytes: files.reduce((n, f) => n + Buffer.byteLength(f.text), 0), lines: files.reduce((n, f) => n + f.lines, 0) };
}

/** The first `fileCount` files of a corpus, as whole projects: what --quick runs. */
export function subset(corpus: Corpus, fileCount: number): Corpus {
  return corpusOf(corpus.dir, corpus.projects.slice(0, Math.ceil(fileCount / FILES_PER_PROJECT)));
}

/** Files per framework, for the report. */
export function frameworkCounts(corpus: Corpus): Record<Framework, number> {
  const counts: Record<Framework, number> = { torch: 0, keras: 0, numpy: 0, lightning: 0 };
  for (const p of corpus.projects) counts[p.framework] += p.files.length;
  return counts;
}

/** Writes the corpus under its folder: changed or missing files only; .py files it no longer has are removed. */
export function writeCorpus(corpus: Corpus): { written: number } {
  let written = 0;
  const wanted = new Set(corpus.files.map((f) => path.join(corpus.dir, f.relative)));
  for (const file of corpus.files) {
    const target = path.join(corpus.dir, file.relative);
    let current: string | undefined;
    try {
      current = fs.readFileSync(target, 'utf8');
    } catch {
      current = undefined;
    }
    if (current === file.text) continue;
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, file.text);
    written++;
  }
  if (fs.existsSync(corpus.dir)) {
    for (const entry of fs.readdirSync(corpus.dir, { recursive: true, withFileTypes: true })) {
      const full = path.join(entry.parentPath, entry.name);
      if (entry.isFile() && !wanted.has(full)) fs.rmSync(full);
    }
    for (const entry of fs.readdirSync(corpus.dir, { withFileTypes: true })) {
      const full = path.join(corpus.dir, entry.name);
      if (entry.isDirectory() && fs.readdirSync(full).length === 0) fs.rmdirSync(full);
    }
  }
  return { written };
}
