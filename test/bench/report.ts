/** How the benchmark prints: a header with the machine, figures with their targets, a summary. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';

export interface Figure {
  name: string;
  value: string;
  target: string;
  met: boolean;
}

const recorded: Figure[] = [];

function git(repo: string, ...args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '?';
  }
}

function distribution(): string {
  try {
    return /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(fs.readFileSync('/etc/os-release', 'utf8'))?.[1] ?? os.type();
  } catch {
    return os.type();
  }
}

/** Date, commit and machine, so figures from different runs can be compared. */
export function printHeader(repo: string, mode: string): void {
  const cpus = os.cpus();
  const dirty = git(repo, 'status', '--porcelain', '--', 'src').length > 0 ? ' (src/ modified)' : '';
  console.log('DL Doctor benchmarks');
  console.log(`  date     ${new Date().toISOString()}`);
  console.log(`  commit   ${git(repo, 'rev-parse', '--short', 'HEAD')}${dirty}`);
  console.log(`  node     ${process.version} (${process.platform}/${process.arch})`);
  console.log(`  cpu      ${cpus[0]?.model.trim() ?? 'unknown'}, ${cpus.length} cores (os.cpus), ${os.availableParallelism()} available`);
  console.log(`  memory   ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; ${distribution()}, kernel ${os.release()}`);
  // Wall times on a machine shared with other work are only comparable at a similar load.
  console.log(`  load     ${os.loadavg().map((l) => l.toFixed(2)).join(' / ')} (1 / 5 / 15 min averages at start)`);
  console.log(`  mode     ${mode}`);
  console.log('  units    MB = 2^20 bytes; CPU time = user + system of the process and its children');
}

export function section(title: string): void {
  console.log(`\n${title}`);
}

/** A measured value without a target (context for the figures that have one). */
export function info(name: string, value: string): void {
  console.log(`   ${name.padEnd(44)} ${value}`);
}

/** A figure with its target: printed now, and again in the summary. */
export function figure(name: string, value: string, target: string, met: boolean): void {
  recorded.push({ name, value, target, met });
  console.log(`   ${name.padEnd(44)} ${value.padEnd(16)} target ${target.padEnd(12)} ${met ? 'MET' : 'MISSED'}`);
}

export function note(text: string): void {
  console.log(`   ${text}`);
}

export function printSummary(skipped: string[]): void {
  section('Summary');
  for (const f of recorded) console.log(`   ${f.met ? 'MET   ' : 'MISSED'}  ${f.name.trim().padEnd(44)} ${f.value.padEnd(16)} (target ${f.target})`);
  for (const s of skipped) console.log(`   SKIPPED ${s}`);
}
