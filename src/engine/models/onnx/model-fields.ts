/**
 * Walks the top-level fields of an ONNX ModelProto before it is decoded, so a truncated file or a
 * length that lies is reported against the field that declares it ("graph at byte 20 declares 6,520
 * bytes") rather than where the decoder ran out. Field numbers: onnx.proto, message ModelProto;
 * wire format: protobuf encoding docs (varint, 64-bit, length-delimited, 32-bit).
 */
const FIELDS: Record<number, string> = {
  1: 'ir_version', 2: 'producer_name', 3: 'producer_version', 4: 'domain', 5: 'model_version', 6: 'doc_string',
  7: 'graph', 8: 'opset_import', 14: 'metadata_props', 20: 'training_info', 25: 'functions', 26: 'configuration',
};
const n = (value: number) => value.toLocaleString('en-US');

export function modelFieldsProblem(bytes: Uint8Array): string | undefined {
  let at = 0;
  const varint = (): number | undefined => {
    let value = 0;
    for (let shift = 0; shift < 64; shift += 7) {
      if (at >= bytes.length) return undefined;
      const byte = bytes[at++];
      value += (byte & 0x7f) * 2 ** shift;
      if (!(byte & 0x80)) return value;
    }
    return undefined;
  };
  while (at < bytes.length) {
    const start = at;
    const tag = varint();
    if (tag === undefined) return `truncated ONNX model: the file ends inside a field tag at byte ${n(start)}`;
    const field = Math.floor(tag / 8);
    const name = FIELDS[field] ? `${FIELDS[field]} field` : `field ${field}`;
    const wire = tag % 8;
    const length = wire === 0 ? 0 : wire === 1 ? 8 : wire === 5 ? 4 : wire === 2 ? varint() : -1;
    if (length === -1) return `corrupt ONNX model: the ${name} at byte ${n(start)} has invalid wire type ${wire}`;
    if (wire === 0 && varint() === undefined) return `truncated ONNX model: the file ends inside the ${name} at byte ${n(start)}`;
    if (length === undefined) return `truncated ONNX model: the file ends inside the length of the ${name} at byte ${n(start)}`;
    if (at + length > bytes.length) {
      return `truncated ONNX model: the ${name} at byte ${n(start)} declares ${n(length)} bytes, the file ends at byte ${n(bytes.length)}`;
    }
    at += length;
  }
  return undefined;
}
