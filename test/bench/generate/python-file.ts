import type { Random } from './random';

export type Framework = 'torch' | 'keras' | 'numpy' | 'lightning';

/** Import lines a file needs, keyed by the name the code uses; rendered sorted, in PEP 8 groups. */
const KNOWN_IMPORTS: Record<string, { group: 'std' | 'third'; line: string }> = {
  argparse: { group: 'std', line: 'import argparse' },
  os: { group: 'std', line: 'import os' },
  sys: { group: 'std', line: 'import sys' },
  json: { group: 'std', line: 'import json' },
  time: { group: 'std', line: 'import time' },
  math: { group: 'std', line: 'import math' },
  random: { group: 'std', line: 'import random' },
  logging: { group: 'std', line: 'import logging' },
  csv: { group: 'std', line: 'import csv' },
  Path: { group: 'std', line: 'from pathlib import Path' },
  dataclass: { group: 'std', line: 'from dataclasses import dataclass, field' },
  defaultdict: { group: 'std', line: 'from collections import defaultdict' },
  np: { group: 'third', line: 'import numpy as np' },
  pd: { group: 'third', line: 'import pandas as pd' },
  torch: { group: 'third', line: 'import torch' },
  nn: { group: 'third', line: 'import torch.nn as nn' },
  F: { group: 'third', line: 'import torch.nn.functional as F' },
  data: { group: 'third', line: 'from torch.utils.data import DataLoader, Dataset, random_split' },
  tf: { group: 'third', line: 'import tensorflow as tf' },
  keras: { group: 'third', line: 'from tensorflow import keras' },
  layers: { group: 'third', line: 'from tensorflow.keras import layers' },
  L: { group: 'third', line: 'import lightning as L' },
  sklearn: { group: 'third', line: 'from sklearn.model_selection import train_test_split' },
};

export interface ModelRef {
  name: string;
  /** The call expression that builds or fits it in a script's main(). */
  call: string;
}

/** What one project's shared modules offer its scripts. */
export interface ProjectApi {
  name: string;
  framework: Framework;
  /** Name of a seeding helper in `utils.py`, if the project has one. */
  seedHelper?: string;
  /** Model classes (or Keras/NumPy builder functions) defined in `models.py`, with how to call them. */
  models: ModelRef[];
}

/** The state of one file being generated: its randomness, its imports and the names it defined. */
export class PythonFile {
  private readonly needed = new Set<string>();
  private readonly local = new Map<string, Set<string>>();
  private readonly used = new Set<string>();
  readonly models: string[] = [];
  readonly datasets: string[] = [];
  readonly helpers: string[] = [];
  readonly trainFunctions: string[] = [];
  readonly evalFunctions: string[] = [];
  /** How a script calls a model or builder defined here, when not just `Name()`. */
  readonly calls = new Map<string, string>();
  readonly body: string[] = [];

  constructor(
    readonly rand: Random,
    readonly framework: Framework,
    readonly project: ProjectApi,
  ) {}

  /** Marks import keys (see KNOWN_IMPORTS) as used; returns the first, for inline use. */
  need(...keys: string[]): string {
    for (const key of keys) {
      if (!KNOWN_IMPORTS[key]) throw new Error(`unknown import key ${key}`);
      this.needed.add(key);
    }
    return keys[0];
  }

  /** `from module import name` of a sibling module in the project. */
  needLocal(module: string, name: string): string {
    const names = this.local.get(module) ?? new Set<string>();
    names.add(name);
    this.local.set(module, names);
    return name;
  }

  /** `base`, or `base_2`, `base_3`… if the file already defines it. */
  fresh(base: string): string {
    let name = base;
    for (let i = 2; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }

  /** The models this file defines, with how to call them. */
  modelRefs(): ModelRef[] {
    return this.models.map((name) => ({ name, call: this.calls.get(name) ?? `${name}()` }));
  }

  add(lines: readonly string[]): void {
    this.body.push(...lines, '', '');
  }

  get lineCount(): number {
    return this.body.length + this.importLines().length + 3;
  }

  importLines(): string[] {
    const group = (g: 'std' | 'third') =>
      [...this.needed]
        .filter((k) => KNOWN_IMPORTS[k].group === g)
        .map((k) => KNOWN_IMPORTS[k].line)
        .filter((line, i, all) => all.indexOf(line) === i)
        .sort((a, b) => Number(a.startsWith('from ')) - Number(b.startsWith('from ')) || a.localeCompare(b));
    const local = [...this.local].sort(([a], [b]) => a.localeCompare(b)).map(([m, names]) => `from ${m} import ${[...names].sort().join(', ')}`);
    const blocks = [group('std'), group('third'), local].filter((b) => b.length > 0);
    return blocks.flatMap((b, i) => (i < blocks.length - 1 ? [...b, ''] : b));
  }

  render(docstring: string): string {
    const body = [...this.body];
    while (body.length && body[body.length - 1] === '') body.pop();
    return [`"""${docstring}"""`, '', ...this.importLines(), '', '', ...body, ''].join('\n');
  }
}

/** A lines-of-code section: `fn` appends it to the file; returns false when it does not apply here. */
export type Section = (file: PythonFile) => string[] | undefined;
