/**
 * The model files the model benchmarks read, generated into the benchmark cache and reused while
 * they exist: PyTorch and safetensors files written by Debian's python3-torch (through
 * generate_model_files.py), and a sparse multi-gigabyte safetensors file written here (only its
 * header holds data, so it costs no disk space).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const PYTHON = '/usr/bin/python3';
export const INSTALL_TORCH = 'sudo apt-get install -y python3-torch';
const GENERATOR = path.join(__dirname, 'generate_model_files.py');

/** What torch counted in a generated file (expected.json). */
export interface TorchFacts {
  tensors: number;
  /** Elements over every tensor of the state_dict: its parameter count, as it holds no buffers. */
  elements: number;
}

export interface TorchModelFiles {
  checkpoint: string;
  moePt: string;
  moeSafetensors: string;
  expected: Record<string, TorchFacts>;
  /** True when this run (re)generated them. */
  generated: boolean;
}

/** Why Debian's torch cannot be used here, or undefined when `import torch` works. */
export function torchUnavailable(): string | undefined {
  if (!fs.existsSync(PYTHON)) return `${PYTHON} is not installed`;
  const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  return probe.status === 0 ? undefined : `python3-torch is not installed (${PYTHON} -c "import torch" failed)`;
}

/** Generates the torch-written files unless they are all there (expected.json is written last). */
export function torchModelFiles(dir: string): TorchModelFiles {
  const expectedFile = path.join(dir, 'expected.json');
  const files = { checkpoint: 'checkpoint-100mb.pt', moePt: 'moe-10k.pt', moeSafetensors: 'moe-10k.safetensors' };
  const complete = () => fs.existsSync(expectedFile) && Object.values(files).every((f) => fs.existsSync(path.join(dir, f)));
  const generated = !complete();
  if (generated) {
    fs.rmSync(expectedFile, { force: true });
    const run = spawnSync(PYTHON, [GENERATOR, dir], { encoding: 'utf8' });
    if (run.status !== 0 || !complete()) throw new Error(`${GENERATOR} failed (exit ${run.status}):\n${run.stderr}`);
  }
  return {
    checkpoint: path.join(dir, files.checkpoint),
    moePt: path.join(dir, files.moePt),
    moeSafetensors: path.join(dir, files.moeSafetensors),
    expected: JSON.parse(fs.readFileSync(expectedFile, 'utf8')) as Record<string, TorchFacts>,
    generated,
  };
}

/**
 * The tensors of a decoder-only language model in the Hugging Face naming (LLaMA layout), bfloat16:
 * 32 layers of width 2560 with a 6912-wide gated MLP and a 32,000-token vocabulary, 2.7 billion
 * parameters, which puts the file just above 5 GiB. `scale` divides every dimension, for a small
 * file whose header names the same tensors.
 */
export function languageModelTensors(scale = 1): { name: string; shape: number[] }[] {
  const [vocab, width, mlp, layers] = [32000, 2560, 6912, 32];
  const d = (n: number) => Math.max(1, Math.ceil(n / scale));
  const tensors = [{ name: 'model.embed_tokens.weight', shape: [d(vocab), d(width)] }];
  for (let i = 0; i < layers; i++) {
    const p = `model.layers.${i}`;
    for (const proj of ['q_proj', 'k_proj', 'v_proj', 'o_proj']) tensors.push({ name: `${p}.self_attn.${proj}.weight`, shape: [d(width), d(width)] });
    tensors.push({ name: `${p}.mlp.gate_proj.weight`, shape: [d(mlp), d(width)] });
    tensors.push({ name: `${p}.mlp.up_proj.weight`, shape: [d(mlp), d(width)] });
    tensors.push({ name: `${p}.mlp.down_proj.weight`, shape: [d(width), d(mlp)] });
    tensors.push({ name: `${p}.input_layernorm.weight`, shape: [d(width)] });
    tensors.push({ name: `${p}.post_attention_layernorm.weight`, shape: [d(width)] });
  }
  tensors.push({ name: 'model.norm.weight', shape: [d(width)] }, { name: 'lm_head.weight', shape: [d(vocab), d(width)] });
  return tensors;
}

export interface SparseSafetensors {
  file: string;
  sizeBytes: number;
  headerBytes: number;
  tensors: number;
  parameters: number;
  /** True when this run (re)wrote it. */
  written: boolean;
}

/**
 * A safetensors file whose header describes `tensors` (bfloat16, back to back in header order, as
 * the reference writer lays them out) and whose data section is a hole: the file is extended with
 * ftruncate, so it has its full size while only the header occupies disk blocks.
 */
export function sparseSafetensors(file: string, tensors: { name: string; shape: number[] }[]): SparseSafetensors {
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  let offset = 0;
  let parameters = 0;
  for (const { name, shape } of tensors) {
    const numel = shape.reduce((a, b) => a * b, 1);
    header[name] = { dtype: 'BF16', shape, data_offsets: [offset, offset + numel * 2] };
    offset += numel * 2;
    parameters += numel;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (Buffer.byteLength(json) % 8)) % 8);
  const headerBuffer = Buffer.alloc(8 + Buffer.byteLength(json));
  headerBuffer.writeBigUInt64LE(BigInt(headerBuffer.length - 8), 0);
  headerBuffer.write(json, 8, 'utf8');
  const sizeBytes = headerBuffer.length + offset;
  const written = !sameFile(file, headerBuffer, sizeBytes);
  if (written) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const fd = fs.openSync(file, 'w');
    try {
      fs.writeSync(fd, headerBuffer);
      fs.ftruncateSync(fd, sizeBytes);
    } finally {
      fs.closeSync(fd);
    }
  }
  return { file, sizeBytes, headerBytes: headerBuffer.length - 8, tensors: tensors.length, parameters, written };
}

function sameFile(file: string, header: Buffer, sizeBytes: number): boolean {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      if (fs.fstatSync(fd).size !== sizeBytes) return false;
      const existing = Buffer.alloc(header.length);
      fs.readSync(fd, existing, 0, header.length, 0);
      return existing.equals(header);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
}

/** Disk space a file really occupies (st_blocks is in 512-byte units on Linux). */
export function allocatedBytes(file: string): number {
  return fs.statSync(file).blocks * 512;
}
