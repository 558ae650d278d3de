import * as protobuf from 'protobufjs';

/**
 * The subset of TensorBoard's protos needed to read scalars, written here from the published field
 * numbers (no download; same numbers, fewer fields). Followed: tensorboard 2.x
 * - tensorboard/compat/proto/event.proto       (Event: wall_time 1, step 2, file_version 3, summary 5)
 * - tensorboard/compat/proto/summary.proto     (Summary.Value: tag 1, simple_value 2, node_name 7,
 *                                               tensor 8, metadata 9; SummaryMetadata, DataClass)
 * - tensorboard/compat/proto/tensor.proto      (TensorProto: dtype 1, tensor_shape 2, tensor_content 4,
 *                                               float_val 5, double_val 6)
 * - tensorboard/compat/proto/tensor_shape.proto (TensorShapeProto: dim 2 { size 1 })
 * - tensorboard/compat/proto/types.proto       (DataType: DT_FLOAT 1, DT_DOUBLE 2)
 * Fields left out (graph_def, images, histograms, audio, …) are skipped by the decoder as unknown.
 */
const PROTO = `
syntax = "proto3";
package tensorboard;

enum DataType { DT_INVALID = 0; DT_FLOAT = 1; DT_DOUBLE = 2; }

message TensorShapeProto {
  message Dim { int64 size = 1; string name = 2; }
  repeated Dim dim = 2;
  bool unknown_rank = 3;
}

message TensorProto {
  DataType dtype = 1;
  TensorShapeProto tensor_shape = 2;
  bytes tensor_content = 4;
  repeated float float_val = 5 [packed = true];
  repeated double double_val = 6 [packed = true];
}

enum DataClass { DATA_CLASS_UNKNOWN = 0; DATA_CLASS_SCALAR = 1; DATA_CLASS_TENSOR = 2; DATA_CLASS_BLOB_SEQUENCE = 3; }

message SummaryMetadata {
  message PluginData { string plugin_name = 1; bytes content = 2; }
  PluginData plugin_data = 1;
  string display_name = 2;
  string summary_description = 3;
  DataClass data_class = 4;
}

message Summary {
  message Value {
    string node_name = 7;
    string tag = 1;
    SummaryMetadata metadata = 9;
    oneof value {
      float simple_value = 2;
      TensorProto tensor = 8;
    }
  }
  repeated Value value = 1;
}

message Event {
  double wall_time = 1;
  int64 step = 2;
  oneof what {
    string file_version = 3;
    Summary summary = 5;
  }
}
`;

/** DataType numbers (types.proto). */
export const DT_FLOAT = 1;
export const DT_DOUBLE = 2;
export const DATA_CLASS_SCALAR = 1;

type Int64 = number | { toNumber(): number };

export interface TensorMessage {
  dtype: number;
  tensorShape?: { dim: { size: Int64 }[] };
  tensorContent: Uint8Array;
  floatVal: number[];
  doubleVal: number[];
}

export interface ValueMessage {
  tag: string;
  nodeName: string;
  metadata?: { pluginData?: { pluginName: string }; dataClass: number };
  simpleValue?: number;
  tensor?: TensorMessage;
  value?: 'simpleValue' | 'tensor';
}

export interface EventMessage {
  wallTime: number;
  step: Int64;
  fileVersion?: string;
  summary?: { value: ValueMessage[] };
}

let eventType: protobuf.Type | undefined;

/** Decodes one Event (throws protobufjs's reader errors on malformed bytes). */
export function decodeEvent(bytes: Uint8Array): EventMessage {
  eventType ??= protobuf.parse(PROTO, { keepCase: false }).root.lookupType('tensorboard.Event');
  return eventType.decode(bytes) as unknown as EventMessage;
}

export function int64(value: Int64): number {
  return typeof value === 'number' ? value : value.toNumber();
}
