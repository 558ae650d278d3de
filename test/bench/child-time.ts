/** Runs a command to completion and measures its wall time and the CPU time of it and its children. */
import { spawn } from 'node:child_process';

export interface Timing {
  wallSeconds: number;
  userSeconds: number;
  systemSeconds: number;
  /** User + system CPU seconds of the command and every process it waited for. */
  cpuSeconds: number;
  exitCode: number;
}

export interface TimeOptions {
  cwd: string;
  /** Where the command's stdout and stderr go (files, so a long run keeps no output in memory). */
  stdoutFile: string;
  stderrFile: string;
  /** Called every `tickSeconds` while the command runs, with the seconds elapsed. */
  onTick?: (elapsedSeconds: number) => void;
  tickSeconds?: number;
}

/**
 * Node cannot read a child's rusage, so the command runs under bash, whose `times` builtin prints
 * the CPU time of its waited-for children (user and system) after the command exits. That counts
 * the command and all its descendants, and nothing of this process or of bash itself.
 */
const SCRIPT = '"$@" >"$BENCH_STDOUT" 2>"$BENCH_STDERR"; status=$?; times; exit $status';

export function timeCommand(command: string, args: readonly string[], options: TimeOptions): Promise<Timing> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('bash', ['-c', SCRIPT, 'bench', command, ...args], {
      cwd: options.cwd,
      env: { ...process.env, BENCH_STDOUT: options.stdoutFile, BENCH_STDERR: options.stderrFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let times = '';
    let errors = '';
    child.stdout.on('data', (chunk: Buffer) => (times += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    const ticker = options.onTick ? setInterval(() => options.onTick!((performance.now() - started) / 1000), (options.tickSeconds ?? 15) * 1000) : undefined;
    child.on('error', (error) => {
      clearInterval(ticker);
      reject(error);
    });
    child.on('close', (code) => {
      clearInterval(ticker);
      const wallSeconds = (performance.now() - started) / 1000;
      // `times` prints two lines, the shell's user/sys then its children's: "0m1.234s 0m0.056s".
      const children = times.trim().split('\n')[1] ?? '';
      const seconds = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
      if (seconds.length !== 2) {
        reject(new Error(`could not time ${command}: ${times} ${errors}`));
        return;
      }
      const [userSeconds, systemSeconds] = seconds;
      resolve({ wallSeconds, userSeconds, systemSeconds, cpuSeconds: userSeconds + systemSeconds, exitCode: code ?? -1 });
    });
  });
}

/** "3:07" for 187 seconds. */
export function clock(seconds: number): string {
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
