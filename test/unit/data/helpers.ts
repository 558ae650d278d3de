import * as fs from 'node:fs';
import * as path from 'node:path';
import { datasetEstimates } from '../../../src/engine/data/dataset-estimates';
import type { DatasetEstimate } from '../../../src/engine/data/dataset-estimate';
import { loadPythonParser } from '../../../src/engine/python/parser';
import { PythonFile } from '../../../src/engine/python/python-file';
import { FIXTURES } from '../../support/engine';

export const DATA_FIXTURES = path.join(FIXTURES, 'data-code');

/** Estimates for source text as if it were `file`, with `roots` as the workspace folders. */
export async function estimatesFor(source: string, file = path.join(DATA_FIXTURES, 'inline.py'), roots = [path.dirname(file)]): Promise<DatasetEstimate[]> {
  const parser = await loadPythonParser();
  const python = new PythonFile(file, source, parser.parse(source)!, { roots, reader: { read: () => undefined }, parser, memo: new Map() });
  return datasetEstimates(python);
}

/** Estimates for a fixture script, its folder being the workspace unless `roots` says otherwise. */
export async function estimatesForScript(relative: string, roots?: string[]): Promise<DatasetEstimate[]> {
  const file = path.join(DATA_FIXTURES, relative);
  return estimatesFor(fs.readFileSync(file, 'utf8'), file, roots ?? [path.dirname(file)]);
}

/** The one estimate, asserting there is exactly one. */
export function only(estimates: DatasetEstimate[]): DatasetEstimate {
  if (estimates.length !== 1) throw new Error(`expected one estimate, got ${estimates.length}: ${JSON.stringify(estimates.map((e) => e.name))}`);
  return estimates[0];
}
