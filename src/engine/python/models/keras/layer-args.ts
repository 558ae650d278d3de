import { MAX_DIM, Unresolved } from './shapes';

/**
 * A layer's constructor arguments as the layer catalog reads them: plain values once the script's
 * expressions resolved, `{ kind: 'unknown' }` where they did not, and wrapped layers
 * (`Bidirectional(LSTM(64))`) as layers.
 */
export type ArgValue = number | string | boolean | null | ArgValue[] | InnerLayer | UnknownArg;

export interface InnerLayer {
  kind: 'layer';
  className: string;
  args: LayerArgs;
}

export interface UnknownArg {
  kind: 'unknown';
  /** The source text that did not resolve, for the note. */
  text: string;
}

export interface LayerArgs {
  /** The argument passed at `position` (when it may be positional) or as `name`; undefined when not passed. */
  get(position: number | undefined, name: string): ArgValue | undefined;
}

function isUnknown(value: ArgValue | undefined): value is UnknownArg {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && value.kind === 'unknown';
}

function describe(name: string, value: ArgValue): string {
  return isUnknown(value) ? `${name}=${value.text}` : `${name}=${JSON.stringify(value)}`;
}

/** A positive whole number no larger than MAX_DIM (units, filters, kernel sizes, strides, ...). */
function checkCount(name: string, value: ArgValue, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > MAX_DIM) {
    throw new Unresolved(`${describe(name, value)} does not resolve to a whole number${min > 0 ? ' ≥ ' + min : ''}`);
  }
  return value;
}

export function int(a: LayerArgs, position: number | undefined, name: string, fallback?: number, min = 1): number {
  const value = a.get(position, name);
  if (value === undefined || (value === null && fallback !== undefined)) {
    if (fallback === undefined) throw new Unresolved(`${name} is not given`);
    return fallback;
  }
  return checkCount(name, value, min);
}

/** An int or a tuple of `n` ints (`kernel_size=3` or `(3, 3)`). */
export function ints(a: LayerArgs, position: number | undefined, name: string, n: number, fallback?: number | number[], min = 1): number[] {
  let value = a.get(position, name);
  if (value === undefined || value === null) {
    if (fallback === undefined) throw new Unresolved(`${name} is not given`);
    value = fallback;
  }
  if (Array.isArray(value)) {
    if (value.length !== n) throw new Unresolved(`${describe(name, value)} has ${value.length} values where ${n} are expected`);
    return value.map((v) => checkCount(name, v, min));
  }
  return Array<number>(n).fill(checkCount(name, value, min));
}

export function str(a: LayerArgs, position: number | undefined, name: string, fallback: string | null): string | null {
  const value = a.get(position, name);
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'string') throw new Unresolved(`${describe(name, value)} does not resolve to a string`);
  return value;
}

export function bool(a: LayerArgs, position: number | undefined, name: string, fallback: boolean): boolean {
  const value = a.get(position, name);
  if (value === undefined) return fallback;
  if (typeof value === 'boolean') return value;
  if (value === null || value === 0 || value === 1) return value === 1;
  throw new Unresolved(`${describe(name, value)} does not resolve to True or False`);
}

/** Any value for an argument that only matters when it is there (`output_padding=None`). */
export function raw(a: LayerArgs, position: number | undefined, name: string): ArgValue | undefined {
  const value = a.get(position, name);
  if (isUnknown(value)) throw new Unresolved(describe(name, value));
  return value;
}

export function layerArg(a: LayerArgs, position: number | undefined, name: string): InnerLayer {
  const value = a.get(position, name);
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && value.kind === 'layer') return value;
  throw new Unresolved(value === undefined ? `${name} is not given` : `${describe(name, value)} is not a layer DL Doctor resolves`);
}
