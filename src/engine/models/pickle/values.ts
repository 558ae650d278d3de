/**
 * What the restricted unpickler builds: plain data, plus inert records of what a real unpickler
 * would have imported (`PyGlobal`) and called (`PyCall`). Nothing here is ever executed.
 */
export type PyValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | PyValue[]
  | PyTuple
  | PyDict
  | PyGlobal
  | PyCall
  | PyPersistent;

export class PyTuple {
  constructor(readonly items: PyValue[]) {}
}

/** A dict, an OrderedDict or a set; keys keep their Python values (tuples, ints) in `entries`. */
export class PyDict {
  readonly entries: [PyValue, PyValue][] = [];

  set(key: PyValue, value: PyValue): void {
    this.entries.push([key, value]);
  }

  get(key: string): PyValue | undefined {
    for (let i = this.entries.length - 1; i >= 0; i--) if (this.entries[i][0] === key) return this.entries[i][1];
    return undefined;
  }

  keys(): string[] {
    return this.entries.map(([k]) => (typeof k === 'string' ? k : String(k)));
  }
}

/** `module.name` as a GLOBAL/STACK_GLOBAL opcode named it; an unpickler would import it. */
export class PyGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}

  get qualified(): string {
    return `${this.module}.${this.name}`;
  }
}

/** What REDUCE / NEWOBJ / INST / OBJ would have called, with its arguments and BUILD state. */
export class PyCall {
  state?: PyValue;
  /** Items added by SETITEM(S)/APPEND(S) to the result (OrderedDict, list subclasses). */
  readonly items: [PyValue, PyValue][] = [];

  constructor(
    readonly callable: PyValue,
    readonly args: PyValue[],
  ) {}

  get callee(): string | undefined {
    return this.callable instanceof PyGlobal ? this.callable.qualified : undefined;
  }
}

/** A persistent id (PyTorch uses them for tensor storages). */
export class PyPersistent {
  constructor(readonly id: PyValue) {}
}
