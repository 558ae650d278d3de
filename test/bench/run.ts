/**
 * Benchmarks (npm run bench): figures printed with their targets; nothing here fails a build.
 *   1. re-diagnose latency after one edit in a 2,000-line script, warm server, over LSP (p50, p95)
 *   2. cold check of a generated 1,000-file corpus with the CLI: MB/s per core
 *   3. the same corpus through Debian's pylint (default checks) as a peer: CPU-time ratio
 *   4. the language server's resident memory after scanning that corpus
 * `--quick` uses 200 files for 2–4 (pylint on 1,000 files takes minutes).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO } from '../support/engine';
import { ensureCorpus } from './corpus';
import { timeCommand } from './cpu-time';
import { DEBOUNCE_MS, measureEditLatency, percentile } from './lsp-latency';
import { serverIdleRss } from './memory';

const BENCH_DIR = path.join(REPO, '.bench');
const quick = process.argv.includes('--quick');

function line(name: string, value: string, target: string, met: boolean | undefined): void {
  const verdict = met === undefined ? '' : met ? '  [meets target]' : '  [MISSES target]';
  console.log(`${name.padEnd(46)} ${value.padEnd(28)} target ${target}${verdict}`);
}

async function main(): Promise<void> {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`DL Doctor benchmarks — ${new Date().toISOString()}, node ${process.version}, ${cpu}, ${os.cpus().length} cores\n`);

  const latency = await measureEditLatency(path.join(BENCH_DIR, 'latency'));
  const p50 = percentile(latency.samples, 50);
  const p95 = percentile(latency.samples, 95);
  console.log(`1. Edit → diagnostics over LSP, ${latency.lines}-line script, ${latency.samples.length} edits (raw times include the ${DEBOUNCE_MS} ms typing debounce)`);
  line('   raw p50 / p95', `${p50.toFixed(0)} / ${p95.toFixed(0)} ms`, '-', undefined);
  line('   check time p50 / p95 (raw − debounce)', `${(p50 - DEBOUNCE_MS).toFixed(0)} / ${(p95 - DEBOUNCE_MS).toFixed(0)} ms`, 'p95 <= 100 ms', p95 - DEBOUNCE_MS <= 100);

  const corpusDir = path.join(BENCH_DIR, quick ? 'corpus-200' : 'corpus');
  const corpus = ensureCorpus(corpusDir, quick ? 200 : 1000);
  const mb = corpus.bytes / (1024 * 1024);
  console.log(`\n2. Cold check of ${corpus.files.length} generated scripts (${mb.toFixed(2)} MB)`);
  const cli = ['node', [path.join(REPO, 'dist/cli.js'), 'check', corpusDir, '--format', 'json', '--fail-on', 'none']] as const;
  console.log(`   command: ${cli[0]} ${cli[1].join(' ')}`);
  const ours = timeCommand(cli[0], [...cli[1]], REPO);
  line('   DL Doctor CPU / wall', `${ours.cpuSeconds.toFixed(2)} s / ${ours.wallSeconds.toFixed(2)} s`, '-', undefined);
  line('   throughput per core (MB / CPU s)', `${(mb / ours.cpuSeconds).toFixed(2)} MB/s`, '>= 1 MB/s', mb / ours.cpuSeconds >= 1);

  console.log(`\n3. Peer: Debian pylint, default checks, on the same corpus`);
  if (!fs.existsSync('/usr/bin/pylint')) {
    console.log('   pylint not installed: apt-get install -y pylint   (figure skipped)');
  } else {
    const pylint = ['pylint', ['--jobs=1', '--recursive=y', corpusDir]] as const;
    console.log(`   command: ${pylint[0]} ${pylint[1].join(' ')}   (this takes a while)`);
    const peer = timeCommand(pylint[0], [...pylint[1]], REPO);
    line('   pylint CPU / wall', `${peer.cpuSeconds.toFixed(2)} s / ${peer.wallSeconds.toFixed(2)} s`, '-', undefined);
    const ratio = peer.cpuSeconds / ours.cpuSeconds;
    line('   DL Doctor speed-up (pylint CPU / ours)', `${ratio.toFixed(1)}x`, '>= 20x', ratio >= 20);
  }

  console.log(`\n4. Language server memory after scanning the corpus`);
  const memory = await serverIdleRss(corpusDir);
  line('   scan time', `${memory.scanSeconds.toFixed(2)} s`, '-', undefined);
  line('   idle RSS', `${memory.rssMB.toFixed(0)} MB`, '<= 150 MB', memory.rssMB <= 150);
}

main().catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
