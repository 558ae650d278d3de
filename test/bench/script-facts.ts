import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadPythonParser } from '../../src/engine/python/parser';
import { computeScriptFacts } from '../../src/engine/python/models/compute-script-facts';
import { PythonFile } from '../../src/engine/python/python-file';
import { DiskReader } from '../../src/engine/source-files';
import { info, note, section } from './report';
import { percentile } from './stats';

const LARGEST = 50;
/** Each file is estimated this many times after one warm-up; the median is its time. */
const ROUNDS = 5;

/**
 * 9. What a script builds and trains on (models: catalogue, PyTorch, Keras; data sets; epochs) for the
 * largest fixture scripts: parse excluded, time per file, as the engine does it before the rules run.
 */
export async function runScriptFactsBenchmark(repo: string): Promise<void> {
  const fixtures = path.join(repo, 'test/fixtures');
  const files = (fs.readdirSync(fixtures, { recursive: true, encoding: 'utf8' }) as string[])
    .filter((f) => f.endsWith('.py'))
    .map((f) => path.join(fixtures, f))
    .filter((f) => fs.statSync(f).isFile())
    .sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)
    .slice(0, LARGEST);
  section(`9. Script facts (models, data sets, epochs) on the ${files.length} largest fixture scripts, parse excluded`);
  const parser = await loadPythonParser();
  const times: { file: string; ms: number; models: number; datasets: number }[] = [];
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const tree = parser.parse(text);
    try {
      const samples: number[] = [];
      let facts;
      for (let round = 0; round <= ROUNDS; round++) {
        // A fresh PythonFile and memo each round: the engine computes facts once per check.
        const python = new PythonFile(file, text, tree, { roots: [path.dirname(file)], reader: new DiskReader(2 * 1024 * 1024), parser, memo: new Map() });
        const started = performance.now();
        facts = await computeScriptFacts(python);
        if (round > 0) samples.push(performance.now() - started);
      }
      times.push({ file: path.relative(repo, file), ms: percentile(samples, 50), models: facts!.models.length, datasets: facts!.datasets.length });
    } finally {
      tree.delete();
    }
  }
  const all = times.map((t) => t.ms);
  info('files / with a model / with a data set', `${times.length} / ${times.filter((t) => t.models).length} / ${times.filter((t) => t.datasets).length}`);
  info('time per file p50 / p95 / max', `${percentile(all, 50).toFixed(2)} / ${percentile(all, 95).toFixed(2)} / ${Math.max(...all).toFixed(2)} ms`);
  const slowest = [...times].sort((a, b) => b.ms - a.ms).slice(0, 3);
  for (const t of slowest) note(`${t.ms.toFixed(2)} ms  ${t.file} (${t.models} model(s), ${t.datasets} data set(s))`);
}
