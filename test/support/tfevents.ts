import * as fs from 'node:fs';
import * as protobuf from 'protobufjs';
import { maskedCrc32c } from '../../src/engine/logs/tensorboard/masked-crc';

/**
 * Writes TensorBoard event files for tests and benchmarks, following the published layouts field by
 * field with protobufjs's raw Writer (not the reader's .proto text, so a wrong field number in the
 * reader would not be mirrored here): TFRecord framing (tensorflow/core/lib/io/record_writer.cc)
 * around Event protos (tensorboard/compat/proto/event.proto, summary.proto, tensor.proto).
 */

export type ScalarKind = 'simple' | 'float_val' | 'double_val' | 'tensor_content_float' | 'tensor_content_double';

export interface ScalarEvent {
  step: number;
  wallTime?: number;
  tag: string;
  value: number;
  kind?: ScalarKind;
  /** Write SummaryMetadata with plugin_name (TF2 writes it with the first value of each tag only). */
  plugin?: string;
}

/** One record: uint64 length, masked CRC32C of it, data, masked CRC32C of the data. */
export function frameRecord(data: Uint8Array): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt32LE(data.length, 0);
  header.writeUInt32LE(0, 4);
  header.writeUInt32LE(maskedCrc32c(header.subarray(0, 8)), 8);
  const footer = Buffer.alloc(4);
  footer.writeUInt32LE(maskedCrc32c(data), 0);
  return Buffer.concat([header, data, footer]);
}

export function fileVersionEvent(wallTime = 1_700_000_000): Buffer {
  const w = protobuf.Writer.create();
  w.uint32((1 << 3) | 1).double(wallTime); // wall_time
  w.uint32((3 << 3) | 2).string('brain.Event:2'); // file_version
  return frameRecord(w.finish());
}

function tensorBytes(kind: ScalarKind, value: number): Uint8Array {
  const t = protobuf.Writer.create();
  const double = kind === 'double_val' || kind === 'tensor_content_double';
  t.uint32((1 << 3) | 0).int32(double ? 2 : 1); // dtype DT_DOUBLE / DT_FLOAT
  t.uint32((2 << 3) | 2).bytes(new Uint8Array(0)); // tensor_shape {} (a scalar)
  if (kind === 'float_val') t.uint32((5 << 3) | 2).fork().float(value).ldelim();
  else if (kind === 'double_val') t.uint32((6 << 3) | 2).fork().double(value).ldelim();
  else {
    const content = Buffer.alloc(double ? 8 : 4);
    if (double) content.writeDoubleLE(value, 0);
    else content.writeFloatLE(value, 0);
    t.uint32((4 << 3) | 2).bytes(content); // tensor_content
  }
  return t.finish();
}

export function scalarEventData(event: ScalarEvent): Uint8Array {
  const v = protobuf.Writer.create();
  v.uint32((1 << 3) | 2).string(event.tag);
  const kind = event.kind ?? 'simple';
  if (event.plugin !== undefined) {
    const pluginData = protobuf.Writer.create().uint32((1 << 3) | 2).string(event.plugin).finish();
    const metadata = protobuf.Writer.create().uint32((1 << 3) | 2).bytes(pluginData).finish();
    v.uint32((9 << 3) | 2).bytes(metadata);
  }
  if (kind === 'simple') v.uint32((2 << 3) | 5).float(event.value);
  else v.uint32((8 << 3) | 2).bytes(tensorBytes(kind, event.value));
  const summary = protobuf.Writer.create().uint32((1 << 3) | 2).bytes(v.finish()).finish();
  const e = protobuf.Writer.create();
  e.uint32((1 << 3) | 1).double(event.wallTime ?? 1_700_000_000 + event.step);
  e.uint32((2 << 3) | 0).int64(event.step);
  e.uint32((5 << 3) | 2).bytes(summary);
  return e.finish();
}

export function scalarEvent(event: ScalarEvent): Buffer {
  return frameRecord(scalarEventData(event));
}

/** Tags of the large generated run: a training loss and a validation loss per step, plus others. */
export const LARGE_TAGS = ['train/loss', 'val/loss', 'train/acc', 'val/acc', 'lr', 'grad_norm', 'train/loss_step', 'throughput'];

/**
 * Writes an event file of at least `bytes` bytes (PyTorch SummaryWriter-style `simple_value`
 * summaries, every tag at every step), in 1 MiB batches so the writer's memory stays small.
 * Returns the number of steps written.
 */
export function writeLargeEventFile(file: string, bytes: number): number {
  const fd = fs.openSync(file, 'w');
  try {
    let written = 0;
    let step = 0;
    let batch: Buffer[] = [fileVersionEvent()];
    let batchBytes = batch[0].length;
    while (written + batchBytes < bytes) {
      const v = protobuf.Writer.create();
      for (let t = 0; t < LARGE_TAGS.length; t++) {
        const value = protobuf.Writer.create().uint32((1 << 3) | 2).string(LARGE_TAGS[t]).uint32((2 << 3) | 5).float(Math.exp(-step / 1e5) + t).finish();
        v.uint32((1 << 3) | 2).bytes(value);
      }
      const e = protobuf.Writer.create();
      e.uint32((1 << 3) | 1).double(1_700_000_000 + step / 10);
      e.uint32((2 << 3) | 0).int64(step);
      e.uint32((5 << 3) | 2).bytes(v.finish());
      const record = frameRecord(e.finish());
      batch.push(record);
      batchBytes += record.length;
      step++;
      if (batchBytes >= 1 << 20) {
        fs.writeSync(fd, Buffer.concat(batch));
        written += batchBytes;
        batch = [];
        batchBytes = 0;
      }
    }
    fs.writeSync(fd, Buffer.concat(batch));
    return step;
  } finally {
    fs.closeSync(fd);
  }
}
