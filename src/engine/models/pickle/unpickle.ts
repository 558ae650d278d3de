import { ByteReader, latin1, PickleError } from './byte-reader';
import { PyCall, PyDict, PyGlobal, PyPersistent, PyTuple, type PyValue } from './values';

export { PickleError };

/**
 * A restricted pickle interpreter. It implements every opcode of protocols 0–5 (Python's
 * `pickletools` documents them) but only ever builds plain data: GLOBAL/STACK_GLOBAL yield inert
 * `PyGlobal` records, and REDUCE/NEWOBJ/INST/OBJ yield `PyCall` records instead of calling anything.
 * Every length read from the file is checked against the bytes left before anything is allocated.
 */
export interface UnpickleLimits {
  /** Opcodes executed before giving up (a hostile file can loop through huge memo graphs). */
  maxOps: number;
  maxStack: number;
  maxMemo: number;
}

export const DEFAULT_PICKLE_LIMITS: UnpickleLimits = { maxOps: 20_000_000, maxStack: 1_000_000, maxMemo: 2_000_000 };

export interface UnpickleResult {
  value: PyValue;
  /** Offset just after the STOP opcode (legacy PyTorch files hold several pickles in a row). */
  end: number;
  /** Every global the pickle names, once each, in order of first appearance. */
  globals: PyGlobal[];
  /** Every persistent id, in order (PyTorch's storage references). */
  persistent: PyPersistent[];
}

const MARK = Symbol('mark');
type StackItem = PyValue | typeof MARK;

export function unpickle(bytes: Uint8Array, start = 0, limits: UnpickleLimits = DEFAULT_PICKLE_LIMITS): UnpickleResult {
  return new Machine(bytes, start, limits).run();
}

class Machine {
  private readonly in: ByteReader;
  private stack: StackItem[] = [];
  private readonly memo = new Map<number, PyValue>();
  private readonly globals = new Map<string, PyGlobal>();
  private readonly persistent: PyPersistent[] = [];
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });

  constructor(
    bytes: Uint8Array,
    start: number,
    private readonly limits: UnpickleLimits,
  ) {
    this.in = new ByteReader(bytes, start);
  }

  run(): UnpickleResult {
    for (let ops = 0; ops < this.limits.maxOps; ops++) {
      const at = this.in.pos;
      const op = this.in.u8();
      if (op === 0x2e) {
        // STOP
        const value = this.pop(at);
        return { value, end: this.in.pos, globals: [...this.globals.values()], persistent: this.persistent };
      }
      this.step(op, at);
      if (this.stack.length > this.limits.maxStack) throw new PickleError(`stack deeper than ${this.limits.maxStack}`, at);
    }
    throw new PickleError(`more than ${this.limits.maxOps} opcodes`, this.in.pos);
  }

  private step(op: number, at: number): void {
    switch (op) {
      case 0x80: // PROTO
        this.in.u8();
        return;
      case 0x95: // FRAME: a length hint only
        this.in.skip(8, at);
        return;
      case 0x28: // MARK
        this.stack.push(MARK);
        return;
      case 0x30: // POP
        this.pop(at);
        return;
      case 0x31: // POP_MARK
        this.popMark(at);
        return;
      case 0x32: // DUP
        this.push(this.top(at));
        return;
      case 0x4e: // NONE
        this.push(null);
        return;
      case 0x88: // NEWTRUE
        this.push(true);
        return;
      case 0x89: // NEWFALSE
        this.push(false);
        return;
      case 0x49: // INT (text): also encodes booleans as 00/01
        return this.pushTextInt(this.in.line(at), at);
      case 0x4c: // LONG (text)
        return this.push(toNumber(BigInt(this.in.line(at).replace(/L$/, ''))));
      case 0x4a: // BININT
        return this.push(this.in.i32(at));
      case 0x4b: // BININT1
        return this.push(this.in.u8());
      case 0x4d: // BININT2
        return this.push(this.in.u16(at));
      case 0x8a: // LONG1
        return this.push(decodeLong(this.in.take(this.in.u8(), at)));
      case 0x8b: // LONG4
        return this.push(decodeLong(this.in.take(this.in.u32(at), at)));
      case 0x46: // FLOAT (text)
        return this.push(Number(this.in.line(at)));
      case 0x47: // BINFLOAT (big-endian)
        return this.push(this.in.f64be(at));
      case 0x53: // STRING (quoted text)
        return this.push(this.in.line(at).replace(/^(['"])(.*)\1$/s, '$2'));
      case 0x54: // BINSTRING
        return this.push(latin1(this.in.take(this.in.u32(at), at)));
      case 0x55: // SHORT_BINSTRING
        return this.push(latin1(this.in.take(this.in.u8(), at)));
      case 0x56: // UNICODE (raw-unicode-escape text)
        return this.push(this.in.line(at));
      case 0x58: // BINUNICODE
        return this.push(this.decoder.decode(this.in.take(this.in.u32(at), at)));
      case 0x8c: // SHORT_BINUNICODE
        return this.push(this.decoder.decode(this.in.take(this.in.u8(), at)));
      case 0x8d: // BINUNICODE8
        return this.push(this.decoder.decode(this.in.take(this.in.u64(at), at)));
      case 0x42: // BINBYTES
        return this.push(this.in.take(this.in.u32(at), at));
      case 0x43: // SHORT_BINBYTES
        return this.push(this.in.take(this.in.u8(), at));
      case 0x8e: // BINBYTES8
      case 0x96: // BYTEARRAY8
        return this.push(this.in.take(this.in.u64(at), at));
      case 0x97: // NEXT_BUFFER: out-of-band data is not in the file
        return this.push(new Uint8Array(0));
      case 0x98: // READONLY_BUFFER
        return;
      case 0x5d: // EMPTY_LIST
        return this.push([]);
      case 0x6c: // LIST
        return this.push(this.popMark(at));
      case 0x61: // APPEND
        return this.append([this.pop(at)], at);
      case 0x65: // APPENDS
        return this.append(this.popMark(at), at);
      case 0x29: // EMPTY_TUPLE
        return this.push(new PyTuple([]));
      case 0x74: // TUPLE
        return this.push(new PyTuple(this.popMark(at)));
      case 0x85: // TUPLE1
        return this.push(new PyTuple(this.popN(1, at)));
      case 0x86: // TUPLE2
        return this.push(new PyTuple(this.popN(2, at)));
      case 0x87: // TUPLE3
        return this.push(new PyTuple(this.popN(3, at)));
      case 0x7d: // EMPTY_DICT
        return this.push(new PyDict());
      case 0x64: {
        // DICT
        const items = this.popMark(at);
        const dict = new PyDict();
        for (let i = 0; i + 1 < items.length; i += 2) dict.set(items[i], items[i + 1]);
        return this.push(dict);
      }
      case 0x73: {
        // SETITEM
        const [key, value] = this.popN(2, at);
        return this.setItems([key, value], at);
      }
      case 0x75: // SETITEMS
        return this.setItems(this.popMark(at), at);
      case 0x8f: // EMPTY_SET
        return this.push(new PyDict());
      case 0x90: {
        // ADDITEMS
        const items = this.popMark(at);
        const set = this.top(at);
        if (set instanceof PyDict) for (const item of items) set.set(item, true);
        return;
      }
      case 0x91: {
        // FROZENSET
        const set = new PyDict();
        for (const item of this.popMark(at)) set.set(item, true);
        return this.push(set);
      }
      case 0x63: {
        // GLOBAL "module\nname\n"
        const module = this.in.line(at);
        return this.push(this.global(module, this.in.line(at)));
      }
      case 0x93: {
        // STACK_GLOBAL
        const [module, name] = this.popN(2, at);
        if (typeof module !== 'string' || typeof name !== 'string') throw new PickleError('STACK_GLOBAL needs two strings', at);
        return this.push(this.global(module, name));
      }
      case 0x82: // EXT1
      case 0x83: // EXT2
      case 0x84: {
        // EXT4: an extension-registry code names a global we cannot see; record it as such
        const code = op === 0x82 ? this.in.u8() : op === 0x83 ? this.in.u16(at) : this.in.u32(at);
        return this.push(this.global('copyreg', `_extension_registry[${code}]`));
      }
      case 0x52: {
        // REDUCE
        const [callable, args] = this.popN(2, at);
        return this.push(new PyCall(callable, args instanceof PyTuple ? args.items : [args]));
      }
      case 0x81: {
        // NEWOBJ
        const [cls, args] = this.popN(2, at);
        return this.push(new PyCall(cls, args instanceof PyTuple ? args.items : [args]));
      }
      case 0x92: {
        // NEWOBJ_EX
        const [cls, args, kwargs] = this.popN(3, at);
        return this.push(new PyCall(cls, [...(args instanceof PyTuple ? args.items : [args]), kwargs]));
      }
      case 0x69: {
        // INST "module\nname\n" with args since MARK
        const module = this.in.line(at);
        const cls = this.global(module, this.in.line(at));
        return this.push(new PyCall(cls, this.popMark(at)));
      }
      case 0x6f: {
        // OBJ: class and args since MARK
        const [cls, ...args] = this.popMark(at);
        return this.push(new PyCall(cls ?? null, args));
      }
      case 0x62: {
        // BUILD
        const state = this.pop(at);
        const target = this.top(at);
        if (target instanceof PyCall) target.state = state;
        return;
      }
      case 0x50: // PERSID (text)
        return this.push(this.persistentId(this.in.line(at)));
      case 0x51: // BINPERSID
        return this.push(this.persistentId(this.pop(at)));
      case 0x67: // GET
        return this.push(this.memoGet(Number(this.in.line(at)), at));
      case 0x68: // BINGET
        return this.push(this.memoGet(this.in.u8(), at));
      case 0x6a: // LONG_BINGET
        return this.push(this.memoGet(this.in.u32(at), at));
      case 0x70: // PUT
        return this.memoPut(Number(this.in.line(at)), at);
      case 0x71: // BINPUT
        return this.memoPut(this.in.u8(), at);
      case 0x72: // LONG_BINPUT
        return this.memoPut(this.in.u32(at), at);
      case 0x94: // MEMOIZE
        return this.memoPut(this.memo.size, at);
      default:
        throw new PickleError(`unknown opcode 0x${op.toString(16).padStart(2, '0')}`, at);
    }
  }

  private global(module: string, name: string): PyGlobal {
    const key = `${module}.${name}`;
    let found = this.globals.get(key);
    if (!found) this.globals.set(key, (found = new PyGlobal(module, name)));
    return found;
  }

  private persistentId(id: PyValue): PyPersistent {
    const record = new PyPersistent(id);
    this.persistent.push(record);
    return record;
  }

  private append(items: PyValue[], at: number): void {
    const target = this.top(at);
    if (Array.isArray(target)) target.push(...items);
    else if (target instanceof PyCall) for (const item of items) target.items.push([target.items.length, item]);
  }

  private setItems(items: PyValue[], at: number): void {
    const target = this.top(at);
    for (let i = 0; i + 1 < items.length; i += 2) {
      if (target instanceof PyDict) target.set(items[i], items[i + 1]);
      else if (target instanceof PyCall) target.items.push([items[i], items[i + 1]]);
    }
  }

  private pushTextInt(text: string, at: number): void {
    if (text === '00') return this.push(false);
    if (text === '01') return this.push(true);
    if (!/^-?\d+$/.test(text)) throw new PickleError(`bad INT literal '${text.slice(0, 20)}'`, at);
    this.push(toNumber(BigInt(text)));
  }

  private memoGet(index: number, at: number): PyValue {
    if (!this.memo.has(index)) throw new PickleError(`memo entry ${index} read before it was written`, at);
    return this.memo.get(index)!;
  }

  private memoPut(index: number, at: number): void {
    if (this.memo.size >= this.limits.maxMemo && !this.memo.has(index)) throw new PickleError(`more than ${this.limits.maxMemo} memo entries`, at);
    this.memo.set(index, this.top(at));
  }

  private push(value: PyValue): void {
    this.stack.push(value);
  }

  private pop(at: number): PyValue {
    const value = this.stack.pop();
    if (value === undefined) throw new PickleError('stack underflow', at);
    if (value === MARK) throw new PickleError('unexpected MARK', at);
    return value;
  }

  private top(at: number): PyValue {
    const value = this.stack[this.stack.length - 1];
    if (value === undefined || value === MARK) throw new PickleError('stack underflow', at);
    return value;
  }

  private popN(n: number, at: number): PyValue[] {
    const items: PyValue[] = new Array(n);
    for (let i = n - 1; i >= 0; i--) items[i] = this.pop(at);
    return items;
  }

  private popMark(at: number): PyValue[] {
    const mark = this.stack.lastIndexOf(MARK);
    if (mark < 0) throw new PickleError('no MARK on the stack', at);
    const items = this.stack.splice(mark) as (PyValue | typeof MARK)[];
    return items.slice(1) as PyValue[];
  }

}

/** Little-endian two's-complement integer of any width (LONG1/LONG4). */
function decodeLong(bytes: Uint8Array): number | bigint {
  if (bytes.length === 0) return 0;
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]);
  if (bytes[bytes.length - 1] & 0x80) value -= 1n << BigInt(bytes.length * 8);
  return toNumber(value);
}

function toNumber(value: bigint): number | bigint {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}
