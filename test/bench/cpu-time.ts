import { spawnSync } from 'node:child_process';

export interface Timing {
  wallSeconds: number;
  /** User + system CPU seconds of the command and everything it started. */
  cpuSeconds: number;
  status: number;
}

/** Runs a command under bash and reads its children's CPU time from the `times` builtin. */
export function timeCommand(command: string, args: string[], cwd: string): Timing {
  const script = '"$@" >/dev/null 2>&1; status=$?; times; exit $status';
  const started = process.hrtime.bigint();
  const result = spawnSync('bash', ['-c', script, 'bench', command, ...args], { cwd, encoding: 'utf8' });
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  // `times` prints the shell's user/sys, then its children's: "0m1.234s 0m0.056s".
  const children = (result.stdout ?? '').trim().split('\n')[1] ?? '';
  const seconds = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  if (seconds.length !== 2) throw new Error(`could not time ${command}: ${result.stdout} ${result.stderr}`);
  return { wallSeconds, cpuSeconds: seconds[0] + seconds[1], status: result.status ?? -1 };
}
