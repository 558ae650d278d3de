import type { H5Dataset } from './hdf5';

/** What the HDF5 worker is asked to read. */
export interface Hdf5Request {
  file: string;
  attributes: string[];
  groups: string[];
}

export type Hdf5Reply =
  | { ok: true; attributes: Record<string, string>; keys: string[]; datasets: Record<string, H5Dataset[]> }
  | { ok: false; stage: 'open' | 'read'; error: string };
