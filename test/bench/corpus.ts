import * as fs from 'node:fs';
import * as path from 'node:path';

/** A deterministic PRNG (mulberry32), so the corpus is the same on every machine and run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(rand: Rand, items: readonly T[]): T => items[Math.floor(rand() * items.length)];
const int = (rand: Rand, lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));

const HEADERS = [
  ['import argparse', 'import numpy as np', 'import torch', 'import torch.nn as nn', 'import torch.nn.functional as F', 'from torch.utils.data import DataLoader, TensorDataset'],
  ['import os', 'import random', 'import numpy as np', 'import tensorflow as tf', 'from tensorflow import keras', 'from tensorflow.keras import layers'],
  ['import json', 'import logging', 'import numpy as np', 'import pandas as pd', 'from sklearn.model_selection import train_test_split'],
  ['import argparse', 'import lightning as L', 'import torch', 'from torch import nn', 'from torch.utils.data import DataLoader'],
];

function modelClass(rand: Rand, i: number): string[] {
  const width = pick(rand, [64, 128, 256, 512]);
  const layers = int(rand, 2, 6);
  const lines = [`class Block${i}(nn.Module):`, `    def __init__(self, d_in=${width}, d_hidden=${width * 2}, p=0.${int(rand, 1, 5)}):`, '        super().__init__()'];
  for (let l = 0; l < layers; l++) lines.push(`        self.fc${l} = nn.Linear(d_in if ${l} == 0 else d_hidden, d_hidden)`);
  lines.push('        self.drop = nn.Dropout(p)', '        self.norm = nn.LayerNorm(d_hidden)', '', '    def forward(self, x):');
  for (let l = 0; l < layers; l++) lines.push(`        x = F.gelu(self.fc${l}(x))`);
  lines.push('        return self.norm(self.drop(x))', '');
  return lines;
}

function helper(rand: Rand, i: number): string[] {
  const n = int(rand, 3, 12);
  const lines = [`def transform_${i}(values, scale=${(rand() * 3).toFixed(3)}, shift=${int(rand, -5, 5)}):`, `    """Rescale values (generated helper ${i})."""`, '    out = []'];
  for (let k = 0; k < n; k++) lines.push(`    out.append(values[${k} % len(values)] * scale + shift - ${k})`);
  lines.push('    if not out:', '        raise ValueError("empty input")', '    return out', '');
  return lines;
}

function loop(rand: Rand): string[] {
  return [
    'def train(model, loader, epochs, lr):',
    `    optimizer = torch.optim.${pick(rand, ['Adam', 'SGD', 'AdamW'])}(model.parameters(), lr=lr)`,
    '    for epoch in range(epochs):',
    '        model.train()',
    '        total = 0.0',
    '        for xb, yb in loader:',
    '            optimizer.zero_grad()',
    '            loss = F.mse_loss(model(xb), yb)',
    '            loss.backward()',
    '            optimizer.step()',
    '            total += loss.item()',
    '        print(f"epoch {epoch}: {total / len(loader):.4f}")',
    '',
  ];
}

function main(rand: Rand, seeded: boolean): string[] {
  return [
    'def main():',
    '    parser = argparse.ArgumentParser()',
    `    parser.add_argument("--lr", type=float, default=${pick(rand, ['1e-3', '3e-4', '0.1'])})`,
    `    parser.add_argument("--epochs", type=int, default=${int(rand, 5, 100)})`,
    `    parser.add_argument("--workers", type=int, default=${int(rand, 0, 8)})`,
    '    parser.add_argument("--seed", type=int, default=0)',
    '    args = parser.parse_args()',
    ...(seeded ? ['    torch.manual_seed(args.seed)', '    np.random.seed(args.seed)'] : []),
    '    data = TensorDataset(torch.randn(1024, 64), torch.randn(1024, 64))',
    '    loader = DataLoader(data, batch_size=32, shuffle=True, num_workers=args.workers)',
    '    train(Block0(64, 64), loader, args.epochs, args.lr)',
    '',
    '',
    'if __name__ == "__main__":',
    '    main()',
    '',
  ];
}

/** One realistic training script of 50–400 lines. */
export function generateScript(rand: Rand, target: number): string {
  const header = HEADERS[0];
  const lines = [`"""Generated training script for benchmarking (${target} lines)."""`, ...header, ...pick(rand, HEADERS).filter((l) => !header.includes(l)), '', ''];
  let i = 0;
  while (lines.length < target - 30) {
    lines.push(...(rand() < 0.4 ? modelClass(rand, i) : helper(rand, i)), '');
    i++;
  }
  if (!lines.some((l) => l.startsWith('class Block0'))) lines.push(...modelClass(rand, 0));
  lines.push(...loop(rand), '', ...main(rand, rand() < 0.5));
  return lines.join('\n');
}

/** Writes (once) the 1,000-file corpus under `dir`; returns its files and total size. */
export function ensureCorpus(dir: string, files = 1000): { files: string[]; bytes: number } {
  const marker = path.join(dir, `.complete-${files}`);
  const rand = prng(20261124);
  const list: string[] = [];
  for (let i = 0; i < files; i++) {
    const file = path.join(dir, `pkg${String(i % 20).padStart(2, '0')}`, `train_${String(i).padStart(4, '0')}.py`);
    list.push(file);
    const text = generateScript(rand, int(rand, 50, 400));
    if (!fs.existsSync(marker)) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
    }
  }
  fs.writeFileSync(marker, '');
  return { files: list, bytes: list.reduce((n, f) => n + fs.statSync(f).size, 0) };
}
