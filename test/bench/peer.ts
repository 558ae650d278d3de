/** Figure 3: the same corpus through Debian's pylint with its default checks, as a peer tool. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { clock, timeCommand, type Timing } from './child-time';

export const PYLINT = '/usr/bin/pylint';

export interface PeerRun {
  command: string[];
  version: string;
  timing: Timing;
  modulesReported: number;
  messages: number;
  duplicateCode: number;
}

/** Modules pylint has printed messages for so far (it prints a header per module with messages). */
function modulesReported(outputFile: string): number {
  try {
    return (fs.readFileSync(outputFile, 'utf8').match(/^\*{13} Module /gm) ?? []).length;
  } catch {
    return 0;
  }
}

/**
 * Runs pylint on `paths` (relative to `cwd`) in one process (--jobs=1: CPU time per core is what
 * is compared). pylint exits non-zero whenever it reports messages; only exit codes with the
 * fatal (1) or usage (32) bit set count as a failed run.
 */
export async function runPylint(cwd: string, paths: readonly string[], files: number, workDir: string, log: (line: string) => void): Promise<PeerRun> {
  const stdoutFile = path.join(workDir, 'pylint.txt');
  const stderrFile = path.join(workDir, 'pylint.stderr');
  const command = ['pylint', '--jobs=1', '--recursive=y', ...paths];
  const versionFile = path.join(workDir, 'pylint-version.txt');
  await timeCommand(PYLINT, ['--version'], { cwd, stdoutFile: versionFile, stderrFile });
  const version = fs.readFileSync(versionFile, 'utf8').split('\n').filter(Boolean).join(', ');
  const timing = await timeCommand(PYLINT, command.slice(1), {
    cwd,
    stdoutFile,
    stderrFile,
    tickSeconds: 30,
    onTick: (elapsed) => {
      // Modules without messages print nothing, and duplicate-code compares all files at the very end.
      log(`pylint ${clock(elapsed)} elapsed, messages so far for ${modulesReported(stdoutFile)} of ${files} modules`);
    },
  });
  if (timing.exitCode & (1 | 32)) throw new Error(`pylint failed (exit ${timing.exitCode}): ${fs.readFileSync(stderrFile, 'utf8').slice(0, 2000)}`);
  const output = fs.readFileSync(stdoutFile, 'utf8');
  return {
    command,
    version,
    timing,
    modulesReported: modulesReported(stdoutFile),
    messages: (output.match(/^[^\s:]+:\d+:\d+: [CRWEF]\d{4}: /gm) ?? []).length,
    duplicateCode: (output.match(/: R0801: /g) ?? []).length,
  };
}
