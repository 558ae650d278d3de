import * as path from 'node:path';
import type { Node } from 'web-tree-sitter';
import type { PythonFile } from '../python/python-file';
import { countColumnValues } from './csv-columns';
import { dataFileFacts } from './file-fact-cache';
import { csvDataRows, csvRead } from './csv-source';
import { followFlow, targetNames, type Flow } from './data-flow';
import type { DatasetEstimate } from './dataset-estimate';
import { countImageFolder, type ImageLoader } from './image-folder';
import { knownLoad } from './known-sources';
import { findLabelColumn } from './label-column';
import { readNpyFile } from './npy-header';
import { readNpzMembers } from './npz-members';
import { resolvePath } from './path-expression';
import { findWorkspacePath, type FoundPath } from './workspace-path';

const fmt = (n: number) => n.toLocaleString('en-US');

/** Loader calls looked at per file; a generated file with more is not read further. */
const MAX_LOADS = 64;

interface Load {
  call: Node;
  estimate: DatasetEstimate;
  role: 'train' | 'held-out' | 'all';
  /** Names the flow starts from; absent when the call's result is not assigned. */
  names: string[];
  /** For CSV files: how to count the label column. */
  csv?: { absolute: string; delimiter: string; header: boolean; skipRecords: number; maxRows?: number; noHeader: boolean; display: string };
}

/**
 * The data sets a script trains on, worked out statically: known data sets by name, and files in the
 * workspace (CSV/TSV rows, `.npy`/`.npz` headers, image folders) found the way Python would resolve
 * their paths; then the splits the script applies. Every number carries a note saying where it came
 * from; what does not resolve is left out, never guessed. Reads files but never runs anything.
 */
export async function datasetEstimates(file: PythonFile, options: { signal?: AbortSignal } = {}): Promise<DatasetEstimate[]> {
  const loads: Load[] = [];
  for (const call of file.calls) {
    if (loads.length >= MAX_LOADS) break;
    if (options.signal?.aborted) return [];
    try {
      const load = await recognise(file, call, options.signal);
      if (load) loads.push(load);
    } catch (error) {
      if (options.signal?.aborted) return [];
      // A file that cannot be read gives no estimate; the reason is not a finding of its own.
      void error;
    }
  }
  const estimates: DatasetEstimate[] = [];
  const byName = new Map<string, Load>();
  const flows: Array<{ load: Load; derived: Set<string> }> = [];
  for (const load of loads) {
    const earlier = byName.get(`${load.estimate.source}:${load.estimate.name}`);
    if (load.role === 'held-out' && earlier && earlier.role !== 'held-out') {
      // `MNIST(train=False)` after `MNIST(train=True)`: one data set, its held-out part.
      if (load.estimate.heldOutSamples !== undefined && earlier.estimate.heldOutSamples === undefined) earlier.estimate.heldOutSamples = load.estimate.heldOutSamples;
      earlier.estimate.notes.push(...load.estimate.notes.filter((n) => !earlier.estimate.notes.includes(n)));
      continue;
    }
    if (load.role !== 'held-out' && load.names.length > 0) {
      const flow: Flow = { names: new Set(load.names), samples: load.estimate.trainSamples, heldOut: load.estimate.heldOutSamples, notes: [] };
      followFlow(file, load.call, flow);
      const derived = new Set([...flow.names].filter((n) => !load.names.includes(n)));
      const partner = flows.find((f) => [...derived].some((n) => f.derived.has(n)));
      if (partner && partner.load.estimate.trainSamples !== undefined && partner.load.estimate.trainSamples === flow.samples) {
        // `TensorDataset(x, y)` of x.npy and y.npy: one data set, the second file its labels (or features).
        partner.load.estimate.notes.push(`${load.estimate.name} pairs with it sample by sample (${load.estimate.notes[0] ?? ''})`);
        continue;
      }
      flows.push({ load, derived });
      byName.set(`${load.estimate.source}:${load.estimate.name}`, load);
      estimates.push(load.estimate);
      if (flow.notes.length > 0) {
        load.estimate.notes.push(...flow.notes);
        if (flow.samples === undefined) delete load.estimate.trainSamples;
        else load.estimate.trainSamples = flow.samples;
        if (flow.heldOut === undefined) delete load.estimate.heldOutSamples;
        else load.estimate.heldOutSamples = flow.heldOut;
      }
    } else {
      byName.set(`${load.estimate.source}:${load.estimate.name}`, load);
      estimates.push(load.estimate);
    }
    if (load.csv) await labelCounts(file, load, options.signal);
  }
  return estimates;
}

async function recognise(file: PythonFile, call: Node, signal?: AbortSignal): Promise<Load | undefined> {
  const known = knownLoad(file, call);
  if (known) return { call, estimate: known.estimate, role: known.role, names: known.trainTargets ?? assignedNames(call) };
  const name = file.calleeName(call) ?? '';
  const tail = file.calleeTail(call) ?? '';
  const read = csvRead(file, call, name);
  if (read) return csvLoad(file, call, read, signal);
  if (name === 'numpy.load') return npyLoad(file, call);
  const loader = imageLoader(file, call, name, tail);
  if (loader) return imageFolderLoad(file, call, loader, signal);
  return undefined;
}

async function csvLoad(file: PythonFile, call: Node, read: NonNullable<ReturnType<typeof csvRead>>, signal?: AbortSignal): Promise<Load | undefined> {
  let pathNode = read.pathNode;
  // csv.reader(open("data.csv")) and `with open(p) as f: csv.reader(f)`
  if (read.reader === 'csv') pathNode = openedPath(file, pathNode);
  const found = await locate(file, pathNode, 'file');
  if (!found) return undefined;
  const names = assignedNames(call);
  if (read.reader === 'csv' && names.length === 1) {
    // `header = next(reader)` consumes the header row before the loop.
    const skipped = file.calls.filter((c) => c.startIndex > call.endIndex && c.childForFieldName('function')?.text === 'next' && file.positionalArguments(c)[0]?.text === names[0]).length;
    if (skipped > 0) {
      read.headerRows += skipped;
      read.described.push(`${skipped} row(s) taken by next(${names[0]})`);
    }
  }
  const counted = await csvDataRows(found.path.absolute, found.path.display, read, signal);
  const estimate: DatasetEstimate = { range: file.range(call), name: found.path.display, source: 'csv', notes: [...counted.notes, ...found.notes] };
  if (counted.rows !== undefined) estimate.trainSamples = counted.rows;
  if (counted.capped && counted.rows !== undefined) estimate.lowerBound = true;
  const load: Load = { call, estimate, role: 'train', names };
  if (counted.rows !== undefined && read.reader === 'pandas' && !read.count.whitespace) {
    load.csv = { absolute: found.path.absolute, display: found.path.display, delimiter: read.count.delimiter ?? ',', header: !read.noHeader, skipRecords: read.skipRecords + Math.max(0, read.headerRows - 1), maxRows: read.maxRows, noHeader: read.noHeader };
  }
  return load;
}

async function npyLoad(file: PythonFile, call: Node): Promise<Load | undefined> {
  const found = await locate(file, file.positionalArguments(call)[0] ?? file.keywordArgument(call, 'file'), 'file');
  if (!found) return undefined;
  const parser = file.workspace.parser;
  const estimate: DatasetEstimate = { range: file.range(call), name: found.path.display, source: 'npy', notes: [...found.notes] };
  const names = assignedNames(call);
  if (found.path.absolute.endsWith('.npz')) {
    const members = await readNpzMembers(found.path.absolute, parser);
    const keys = subscriptKeys(file, names, call);
    const used = members.filter((m) => keys.size === 0 || keys.has(m.key));
    for (const bad of used.filter((m) => m.error)) estimate.notes.push(`${found.path.display}: ${bad.error}`);
    const good = used.filter((m) => m.header);
    const listed = good.map((m) => `${m.key} ${pyShape(m.header!.shape)}`).join(', ');
    const train = good.filter((m) => /train/i.test(m.key));
    const heldOut = good.filter((m) => /test|val/i.test(m.key));
    const rows = (ms: typeof good) => (ms.length > 0 && new Set(ms.map((m) => m.header!.shape[0])).size === 1 ? ms[0].header!.shape[0] : undefined);
    if (good.length === 0) estimate.notes.push(`${found.path.display}: no readable array`);
    else if (rows(good) !== undefined && used.length === good.length) {
      estimate.trainSamples = rows(good);
      estimate.notes.unshift(`${fmt(estimate.trainSamples!)} samples: the first dimension of every array in ${found.path.display}: ${listed}`);
      setShape(estimate, good);
    } else if (rows(train) !== undefined) {
      // np.savez(..., x_train=..., y_train=..., x_test=...): the members say which part is which.
      estimate.trainSamples = rows(train);
      estimate.notes.unshift(`${fmt(estimate.trainSamples!)} training samples: the first dimension of the *train* arrays in ${found.path.display}: ${listed}`);
      if (rows(heldOut) !== undefined) estimate.heldOutSamples = rows(heldOut);
      setShape(estimate, train);
    } else estimate.notes.push(`${found.path.display}: arrays of different lengths, none named for training: ${listed}; no count`);
    return { call, estimate, role: 'train', names: [] };
  }
  const result = await readNpyFile(found.path.absolute, parser);
  if (!result.ok) {
    estimate.notes.unshift(`${found.path.display}: ${result.error}; no count`);
    return { call, estimate, role: 'train', names: [] };
  }
  const { shape, descr } = result.header;
  if (shape.length === 0) {
    estimate.notes.unshift(`${found.path.display} holds a scalar (shape ()); no count`);
    return { call, estimate, role: 'train', names: [] };
  }
  estimate.trainSamples = shape[0];
  if (shape.length > 1) estimate.inputShape = shape.slice(1);
  estimate.notes.unshift(`${fmt(shape[0])} samples: shape ${pyShape(shape)} ${descr} in the header of ${found.path.display}${shape.length > 1 ? ' (sample shape as stored)' : ''}`);
  return { call, estimate, role: 'train', names };
}

/** A shape as Python prints it: `(120,)`, `(60000, 28, 28)`. */
function pyShape(shape: number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

function setShape(estimate: DatasetEstimate, members: Array<{ header?: { shape: number[] } }>): void {
  const multi = members.filter((m) => m.header!.shape.length > 1);
  if (multi.length === 1) estimate.inputShape = multi[0].header!.shape.slice(1);
}

/** The string keys a script reads from an `np.load(...)` result: `data["x_train"]`. */
function subscriptKeys(file: PythonFile, names: string[], call: Node): Set<string> {
  const keys = new Set<string>();
  const holders = new Set(names);
  const parent = call.parent;
  if (parent?.type === 'subscript') holders.add('');
  for (const node of file.nodesOfType('subscript')) {
    const value = node.childForFieldName('value');
    const holder = value?.equals(call) ? '' : value?.type === 'identifier' ? value.text : undefined;
    if (holder === undefined || !holders.has(holder)) continue;
    const key = file.evaluate(node.childForFieldName('subscript'))?.value;
    if (typeof key === 'string') keys.add(key);
  }
  return keys;
}

function imageLoader(file: PythonFile, call: Node, name: string, tail: string): ImageLoader | undefined {
  if (name === 'torchvision.datasets.ImageFolder' || name === 'torchvision.datasets.folder.ImageFolder') return 'torchvision';
  if (tail === 'image_dataset_from_directory' && /(^|\.)(keras|tensorflow)\./.test(name)) return 'keras';
  if (tail === 'flow_from_directory') return 'kerasGenerator';
  void file;
  return undefined;
}

async function imageFolderLoad(file: PythonFile, call: Node, loader: ImageLoader, signal?: AbortSignal): Promise<Load | undefined> {
  const dirNode = file.positionalArguments(call)[0] ?? file.keywordArgument(call, loader === 'torchvision' ? 'root' : 'directory');
  const found = await locate(file, dirNode, 'folder');
  if (!found) return undefined;
  const counted = await countImageFolder(found.path.absolute, loader, { signal });
  if (!counted) return undefined;
  const what = loader === 'torchvision' ? 'ImageFolder' : loader === 'keras' ? 'image_dataset_from_directory' : 'flow_from_directory';
  const classes = Object.keys(counted.classCounts);
  const estimate: DatasetEstimate = { range: file.range(call), name: found.path.display, source: 'image-folder', classes: classes.length, classCounts: { ...counted.classCounts }, notes: [] };
  estimate.notes.push(`${fmt(counted.total)} images in ${classes.length} class folder(s) of ${found.path.display} (${what}: ${extensionsNote(loader)})`, ...found.notes);
  if (counted.truncated) {
    estimate.lowerBound = true;
    estimate.notes.push('the folder walk stopped at its bound (500,000 entries or 16 levels): counts are lower bounds');
  }
  if (counted.loopsSkipped > 0) estimate.notes.push(`${counted.loopsSkipped} link(s) back to a folder already counted were skipped (a symlink loop)`);
  const empty = classes.filter((c) => counted.classCounts[c] === 0);
  if (empty.length > 0) estimate.notes.push(`class folder(s) without images: ${empty.join(', ')}${loader === 'torchvision' ? ' (ImageFolder raises FileNotFoundError for these)' : ''}`);
  let role: Load['role'] = 'train';
  estimate.trainSamples = counted.total;
  const subsetNode = file.keywordArgument(call, 'subset');
  const subset = subsetNode ? file.evaluate(subsetNode)?.value : undefined;
  if (loader !== 'torchvision' && subsetNode) {
    const vsNode = loader === 'keras' ? file.keywordArgument(call, 'validation_split') : generatorValidationSplit(file, call);
    const vs = vsNode ? file.evaluate(vsNode)?.value : undefined;
    if (typeof subset !== 'string' || typeof vs !== 'number' || !(vs > 0 && vs < 1)) {
      delete estimate.trainSamples;
      estimate.notes.push(`subset=${subsetNode.text} with a validation_split that does not resolve: training samples unknown`);
    } else if (loader === 'keras') {
      // image_dataset_from_directory: int(validation_split * n) files at the end are the validation subset
      // (get_training_or_validation_split in keras/src/utils/dataset_utils.py).
      const val = Math.floor(vs * counted.total);
      estimate.trainSamples = counted.total - val;
      estimate.heldOutSamples = val;
      if (subset === 'validation') role = 'held-out';
      estimate.notes.push(`validation_split=${vs}: ${fmt(counted.total - val)} training / ${fmt(val)} validation images (subset="${subset}")`);
    } else {
      // flow_from_directory splits each class folder: the first int(validation_split * n) files of a
      // class are validation, the rest training (DirectoryIterator, keras/src/legacy/preprocessing/image.py).
      let train = 0;
      const perClass: Record<string, number> = {};
      for (const c of classes) {
        const n = counted.classCounts[c];
        perClass[c] = n - Math.floor(vs * n);
        train += perClass[c];
      }
      estimate.trainSamples = train;
      estimate.heldOutSamples = counted.total - train;
      if (subset === 'training') estimate.classCounts = perClass;
      if (subset === 'validation') role = 'held-out';
      estimate.notes.push(`validation_split=${vs} per class folder: ${fmt(train)} training / ${fmt(counted.total - train)} validation images (subset="${subset}")`);
    }
  }
  return { call, estimate, role, names: assignedNames(call) };
}

/** `datagen = ImageDataGenerator(validation_split=0.2)` … `datagen.flow_from_directory(...)`. */
function generatorValidationSplit(file: PythonFile, call: Node): Node | undefined {
  const object = call.childForFieldName('function')?.childForFieldName('object');
  if (object?.type === 'call') return file.keywordArgument(object, 'validation_split');
  if (object?.type !== 'identifier') return undefined;
  for (const assignment of file.assignments) {
    const left = assignment.childForFieldName('left');
    const right = assignment.childForFieldName('right');
    if (left?.type === 'identifier' && left.text === object.text && right?.type === 'call' && file.calleeTail(right) === 'ImageDataGenerator') {
      return file.keywordArgument(right, 'validation_split');
    }
  }
  return undefined;
}

function extensionsNote(loader: ImageLoader): string {
  if (loader === 'torchvision') return 'files ending .jpg .jpeg .png .ppm .bmp .pgm .tif .tiff .webp';
  if (loader === 'keras') return 'files ending .bmp .gif .jpeg .jpg .png';
  return 'files ending .png .jpg .jpeg .bmp .ppm .tif .tiff';
}

/** Counts the label column's values into `classCounts` (bounded pass; capped counts say so). */
async function labelCounts(file: PythonFile, load: Load, signal?: AbortSignal): Promise<void> {
  const csv = load.csv!;
  const label = findLabelColumn(file, new Set(load.names), csv.noHeader);
  if (!label) return;
  const options = { column: label.column, delimiter: csv.delimiter, header: csv.header, skipRecords: csv.skipRecords, maxRows: csv.maxRows };
  const counted = await dataFileFacts.get(csv.absolute, 'label-column', options, async () => {
    const result = await countColumnValues(csv.absolute, { ...options, signal });
    // A cancelled pass stops early with partial counts: never remember those.
    if (signal?.aborted) throw new Error('cancelled');
    return result;
  });
  const shown = typeof label.column === 'number' ? `column ${label.column}` : `"${label.column}"`;
  if (counted.error) {
    load.estimate.notes.push(`label column ${shown} (line ${label.line}): ${counted.error}; no class counts`);
    return;
  }
  if (counted.continuous) {
    load.estimate.notes.push(`label column ${shown} (line ${label.line}) holds continuous values (a regression target): no class counts`);
    return;
  }
  const sorted = [...counted.counts.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  load.estimate.classCounts = Object.fromEntries(sorted);
  load.estimate.classes = sorted.length;
  const listed = sorted.map(([k, n]) => `${k}: ${fmt(n)}`).join(', ');
  load.estimate.notes.push(`label column ${shown} (line ${label.line}): ${sorted.length} classes in ${fmt(counted.rows)} rows (${listed})${counted.capped ? `, counted in the first ${fmt(counted.rows)} rows only (byte cap)` : ''}; counts are of the whole file, before any split`);
}

/** The names a call's result is assigned to (`df = pd.read_csv(...)`, `train_ds = ImageFolder(...)`). */
function assignedNames(call: Node): string[] {
  const parent = call.parent;
  if (parent?.type === 'assignment' && parent.childForFieldName('right')?.equals(call)) {
    const left = parent.childForFieldName('left');
    return left ? targetNames(left) : [];
  }
  return [];
}

/** `open(p)` → p; `f` bound by `with open(p) as f` → p; anything else as is. */
function openedPath(file: PythonFile, node: Node | undefined): Node | undefined {
  if (!node) return undefined;
  if (node.type === 'call' && file.calleeTail(node) === 'open') return file.positionalArguments(node)[0];
  if (node.type === 'identifier') {
    for (const item of file.nodesOfType('as_pattern')) {
      const alias = item.childForFieldName('alias');
      const value = item.namedChildren[0];
      if (alias?.text === node.text && value?.type === 'call' && file.calleeTail(value) === 'open') return file.positionalArguments(value)[0];
    }
  }
  return undefined;
}

async function locate(file: PythonFile, node: Node | null | undefined, kind: 'file' | 'folder'): Promise<{ path: FoundPath; notes: string[] } | undefined> {
  const written = resolvePath(file, node);
  if (!written) return undefined;
  const found = await findWorkspacePath(file, written.value, kind);
  if (!found) return undefined;
  const notes: string[] = [];
  if (written.via) notes.push(`path from ${written.via}`);
  if (found.resolvedAgainst && file.workspace.roots.length > 0 && found.resolvedAgainst !== 'the workspace folder') {
    notes.push(`"${written.value}" resolved against ${found.resolvedAgainst} (${path.dirname(file.path)})`);
  }
  return { path: found, notes };
}
