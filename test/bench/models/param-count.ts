/**
 * Figure 5: a checkpoint's parameter count from DL Doctor (in process, and a cold CLI run) and from
 * PyTorch itself (`torch.load` + `numel` in Debian's python3), on the same file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readModel } from '../../../src/engine/models/read-model';
import { timeCommand, type Timing } from '../child-time';
import { PYTHON } from './model-files';

/**
 * The peer: load the state_dict and sum numel, as a user would to learn the size of a model.
 * weights_only (torch >= 1.13) loads with torch's restricted unpickler, the safe way to open a
 * file of unknown origin; older torch has no such argument. The load is timed inside Python too,
 * so the in-process figures compare reading with reading, without interpreter start and imports.
 */
const PEER_SCRIPT = [
  'import inspect, sys, time, torch',
  "safe = 'weights_only' in inspect.signature(torch.load).parameters",
  'start = time.perf_counter()',
  'sd = torch.load(sys.argv[1], weights_only=True) if safe else torch.load(sys.argv[1])',
  'count = sum(t.numel() for t in sd.values())',
  'print(count, time.perf_counter() - start, safe, torch.__version__)',
].join('; ');

export interface InProcessRead {
  parameters: number;
  tensors: number;
  /** Milliseconds of the first read in this process (JIT cold), then of each later read. */
  firstMs: number;
  laterMs: number[];
}

/** The engine's model reader, as the CLI and the server call it. */
export async function readInProcess(file: string, repeats: number): Promise<InProcessRead> {
  const times: number[] = [];
  let parameters = 0;
  let tensors = 0;
  for (let i = 0; i <= repeats; i++) {
    const started = performance.now();
    const read = await readModel(file);
    times.push(performance.now() - started);
    if (!read.ok) throw new Error(`DL Doctor could not read ${file}: ${read.error}`);
    ({ parameters } = read.summary);
    tensors = read.summary.tensors.length;
  }
  return { parameters, tensors, firstMs: times[0], laterMs: times.slice(1) };
}

export interface CliCount {
  command: string[];
  timing: Timing;
  parameters: number;
  tensors: number;
  /** Rules with findings on the file. */
  findings: string[];
}

interface JsonModels {
  models: { parameters: number; tensors: number }[];
  findings: { rule: string }[];
}

/** A cold `dl-doctor check FILE --format json` (extra arguments appended), its count parsed afterwards. */
export async function cliCount(repo: string, file: string, workDir: string, extra: string[] = []): Promise<CliCount> {
  const stdoutFile = path.join(workDir, 'model-check.json');
  const stderrFile = path.join(workDir, 'model-check.stderr');
  const command = ['node', 'dist/cli.js', 'check', path.relative(repo, file), '--format', 'json', '--fail-on', 'none', ...extra];
  const timing = await timeCommand(command[0], command.slice(1), { cwd: repo, stdoutFile, stderrFile });
  if (timing.exitCode !== 0) throw new Error(`dl-doctor exited ${timing.exitCode}: ${fs.readFileSync(stderrFile, 'utf8').slice(0, 2000)}`);
  const report = JSON.parse(fs.readFileSync(stdoutFile, 'utf8')) as JsonModels;
  if (report.models.length !== 1) throw new Error(`dl-doctor reported ${report.models.length} models for ${file}; see ${stdoutFile}`);
  return { command, timing, parameters: report.models[0].parameters, tensors: report.models[0].tensors, findings: report.findings.map((f) => f.rule) };
}

export interface TorchCount {
  command: string[];
  timing: Timing;
  parameters: number;
  /** Seconds of torch.load + the numel sum, inside the Python process. */
  loadSeconds: number;
  weightsOnly: boolean;
  torchVersion: string;
}

export async function torchCount(file: string, workDir: string): Promise<TorchCount> {
  const stdoutFile = path.join(workDir, 'torch-count.txt');
  const stderrFile = path.join(workDir, 'torch-count.stderr');
  const command = [PYTHON, '-c', PEER_SCRIPT, file];
  const timing = await timeCommand(command[0], command.slice(1), { cwd: path.dirname(file), stdoutFile, stderrFile });
  const output = fs.readFileSync(stdoutFile, 'utf8').trim().split(/\s+/);
  if (timing.exitCode !== 0 || output.length !== 4) throw new Error(`torch.load failed (exit ${timing.exitCode}): ${fs.readFileSync(stderrFile, 'utf8').slice(-2000)}`);
  return { command, timing, parameters: Number(output[0]), loadSeconds: Number(output[1]), weightsOnly: output[2] === 'True', torchVersion: output[3] };
}

