/** PyTorch's legacy typed-storage classes, still written into checkpoints, and the dtype each holds. */
export const STORAGE_DTYPES: Record<string, string> = {
  FloatStorage: 'float32',
  DoubleStorage: 'float64',
  HalfStorage: 'float16',
  BFloat16Storage: 'bfloat16',
  LongStorage: 'int64',
  IntStorage: 'int32',
  ShortStorage: 'int16',
  CharStorage: 'int8',
  ByteStorage: 'uint8',
  BoolStorage: 'bool',
  ComplexFloatStorage: 'complex64',
  ComplexDoubleStorage: 'complex128',
  QInt8Storage: 'qint8',
  QUInt8Storage: 'quint8',
  QInt32Storage: 'qint32',
};

/** State-dict entries that are buffers, not parameters (BatchNorm running statistics). */
export const BUFFER_SUFFIXES = ['running_mean', 'running_var', 'num_batches_tracked'];

/** Bytes per element of each storage dtype. */
export const DTYPE_BYTES: Record<string, number> = {
  float32: 4, float64: 8, float16: 2, bfloat16: 2, int64: 8, int32: 4, int16: 2, int8: 1, uint8: 1, bool: 1,
  complex64: 8, complex128: 16, qint8: 1, quint8: 1, qint32: 4,
};
