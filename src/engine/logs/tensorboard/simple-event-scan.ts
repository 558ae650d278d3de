import { Reader } from 'protobufjs';

/** What `scanSimpleEvent` found: the event's position and its `simple_value` scalars. */
export interface ScannedEvent {
  wallTime: number;
  step: number;
  count: number;
  /** Byte ranges of each value's tag (or node_name) in the record, as [start, end] pairs. */
  names: number[];
  values: number[];
}

/**
 * The fast path for the commonest event: a Summary of `simple_value` scalars (PyTorch's
 * SummaryWriter, TF1, CatBoost, Keras' TensorBoard callback before TF2). It walks the wire format
 * with protobufjs's Reader by the field numbers of event.proto/summary.proto (see event-proto.ts)
 * without building messages or decoding tag strings, which keeps a 100 MB file under a second.
 * Returns false when the event holds anything else (tensors, metadata): the full decoder reads it.
 */
export function scanSimpleEvent(data: Uint8Array, out: ScannedEvent): boolean {
  // One reader, pointed at each record in turn: a file holds hundreds of thousands of events, and
  // a reader per event was a measurable share of the read. Scans are synchronous, never nested.
  const reader = (shared ??= Reader.create(data));
  reader.buf = data;
  reader.pos = 0;
  reader.len = data.length;
  out.wallTime = 0;
  out.step = 0;
  out.count = 0;
  while (reader.pos < reader.len) {
    const key = reader.uint32();
    const field = key >>> 3;
    const wire = key & 7;
    if (field === 1 && wire === 1) out.wallTime = reader.double();
    else if (field === 2 && wire === 0) {
      const step = reader.int64() as unknown as number | { toNumber(): number };
      out.step = typeof step === 'number' ? step : step.toNumber();
    } else if (field === 5 && wire === 2) {
      const end = reader.uint32() + reader.pos;
      while (reader.pos < end) {
        const valueKey = reader.uint32();
        if (valueKey !== ((1 << 3) | 2)) {
          reader.skipType(valueKey & 7);
          continue;
        }
        if (!scanValue(reader, reader.uint32() + reader.pos, out)) return false;
      }
    } else reader.skipType(wire);
  }
  return true;
}

let shared: Reader | undefined;

function scanValue(reader: Reader, end: number, out: ScannedEvent): boolean {
  let tagStart = -1;
  let tagEnd = -1;
  let nodeStart = -1;
  let nodeEnd = -1;
  let value: number | undefined;
  while (reader.pos < end) {
    const key = reader.uint32();
    const field = key >>> 3;
    const wire = key & 7;
    if ((field === 1 || field === 7) && wire === 2) {
      const length = reader.uint32();
      if (field === 1) {
        tagStart = reader.pos;
        tagEnd = reader.pos + length;
      } else {
        nodeStart = reader.pos;
        nodeEnd = reader.pos + length;
      }
      reader.pos += length;
    } else if (field === 2 && wire === 5) value = reader.float();
    else if (field === 8 || field === 9) return false; // a tensor or metadata: the full decoder's job
    else reader.skipType(wire);
  }
  if (value === undefined) return true; // an image, histogram, audio: not a scalar
  const i = out.count++;
  const useNode = tagEnd <= tagStart;
  out.names[2 * i] = useNode ? nodeStart : tagStart;
  out.names[2 * i + 1] = useNode ? nodeEnd : tagEnd;
  out.values[i] = value;
  return true;
}
