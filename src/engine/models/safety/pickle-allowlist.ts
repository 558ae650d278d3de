/**
 * Default deny: the globals a PyTorch or NumPy checkpoint legitimately names. Anything else —
 * `os.system`, `builtins.eval`, `subprocess.Popen`, `runpy._run_code`, and the less-known callables
 * used in public bypasses of pickle scanners (`timeit.timeit`, `pydoc.pipepager`, `bdb.Bdb.run`,
 * `cProfile.run`, `code.InteractiveInterpreter.runsource`, `operator.attrgetter`, `functools.partial`,
 * `pkgutil.resolve_name` ...) — is reported. The list follows what `torch.load(weights_only=True)`
 * accepts (torch/_weights_only_unpickler.py), plus the module classes of a fully pickled model.
 */
const EXACT = new Set([
  'collections.OrderedDict',
  'builtins.set', 'builtins.frozenset', 'builtins.list', 'builtins.dict', 'builtins.tuple', 'builtins.bytearray',
  'builtins.int', 'builtins.float', 'builtins.complex', 'builtins.bool', 'builtins.slice', 'builtins.range',
  'torch._utils._rebuild_tensor', 'torch._utils._rebuild_tensor_v2', 'torch._utils._rebuild_parameter',
  'torch._utils._rebuild_parameter_with_state', 'torch._utils._rebuild_qtensor', 'torch._utils._rebuild_sparse_tensor',
  'torch._utils._rebuild_meta_tensor_no_storage', 'torch._utils._rebuild_device_tensor_from_numpy',
  'torch._utils._rebuild_wrapper_subclass', 'torch._tensor._rebuild_from_type_v2',
  'torch.Size', 'torch.device', 'torch.nn.parameter.Parameter', 'torch.storage.UntypedStorage', 'torch.storage.TypedStorage',
  'torch.serialization._get_layout', 'torch.per_tensor_affine', 'torch.per_channel_affine',
  'numpy.core.multiarray._reconstruct', 'numpy._core.multiarray._reconstruct', 'numpy.ndarray', 'numpy.dtype',
  'numpy.core.multiarray.scalar', 'numpy._core.multiarray.scalar',
  // Checkpoints routinely store the argparse namespace or a plain data holder of their run.
  'argparse.Namespace',
  // NumPy arrays pickled with protocol 2 carry their bytes through _codecs.encode(text, 'latin1').
  '_codecs.encode',
  // A fully pickled nn.Module: object.__new__(cls) via copyreg, then its __dict__ as state.
  'copyreg._reconstructor', 'copy_reg._reconstructor', 'builtins.object', 'copyreg.__newobj__',
]);

/** Dtype names, storage classes and layouts are module attributes of torch; `torch.nn.modules.*` are layers. */
const PATTERNS = [
  /^torch\.[A-Za-z0-9]*Storage$/,
  /^torch\.(float|double|half|bfloat16|int|long|short|bool|uint8|int8|int16|int32|int64|uint16|uint32|uint64|float16|float32|float64|complex64|complex128|cfloat|cdouble|qint8|quint8|qint32|float8_e4m3fn|float8_e5m2)$/,
  /^torch\.(strided|sparse_coo|sparse_csr|sparse_csc|sparse_bsr|sparse_bsc|_mkldnn)$/,
  /^torch\.nn\.modules\.[a-z_.]+\.[A-Z][A-Za-z0-9]*$/,
  /^numpy\.dtypes\.[A-Za-z0-9]+DType$/,
];

/** Python 2 names that pickle protocol ≤ 2 writes for Python 3 ones (pickle's fix_imports mapping). */
const PY2_NAMES: Record<string, string> = { __builtin__: 'builtins', copy_reg: 'copyreg' };

function normalize(global: string): string {
  const dot = global.indexOf('.');
  const module = global.slice(0, dot);
  return PY2_NAMES[module] ? `${PY2_NAMES[module]}${global.slice(dot)}` : global;
}

/** The globals outside the allowlist, in the order the file names them. */
export function unsafeGlobals(globals: readonly string[]): string[] {
  return globals.filter((g) => {
    const name = normalize(g);
    return !EXACT.has(name) && !PATTERNS.some((p) => p.test(name));
  });
}
