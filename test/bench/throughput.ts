/** Figure 2: a cold `dl-doctor check` of the corpus, end to end, as a user or CI would run it. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { timeCommand, type Timing } from './child-time';

export interface CheckRun {
  command: string[];
  timing: Timing;
  filesChecked: number;
  findingsByRule: Map<string, number>;
}

interface JsonReport {
  filesChecked: number;
  findings: { rule: string }[];
  skipped: unknown[];
}

/**
 * Runs the built CLI on `paths` (relative to `cwd`). The JSON report is parsed afterwards, outside
 * the timing, to prove the run checked every file rather than failing fast.
 */
export async function runCliCheck(cwd: string, paths: readonly string[], expectedFiles: number, workDir: string): Promise<CheckRun> {
  const stdoutFile = path.join(workDir, 'dl-doctor.json');
  const stderrFile = path.join(workDir, 'dl-doctor.stderr');
  const command = ['node', 'dist/cli.js', 'check', ...paths, '--format', 'json', '--fail-on', 'none'];
  const timing = await timeCommand(command[0], command.slice(1), { cwd, stdoutFile, stderrFile });
  if (timing.exitCode !== 0) throw new Error(`dl-doctor exited ${timing.exitCode}: ${fs.readFileSync(stderrFile, 'utf8').slice(0, 2000)}`);
  const report = JSON.parse(fs.readFileSync(stdoutFile, 'utf8')) as JsonReport;
  if (report.filesChecked !== expectedFiles || report.skipped.length > 0) {
    throw new Error(`dl-doctor checked ${report.filesChecked} of ${expectedFiles} files (${report.skipped.length} skipped); see ${stdoutFile}`);
  }
  const findingsByRule = new Map<string, number>();
  for (const f of report.findings) findingsByRule.set(f.rule, (findingsByRule.get(f.rule) ?? 0) + 1);
  return { command, timing, filesChecked: report.filesChecked, findingsByRule };
}
