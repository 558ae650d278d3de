import { unsafeGlobals } from '../models/safety/pickle-allowlist';
import { WHOLE_FILE, type ModelRule, type RuleHit } from './rule';

/** Modules whose callables run code, spawn processes or reach the network or file system. */
const DANGEROUS_ROOTS = new Set([
  'os', 'posix', 'nt', 'subprocess', 'commands', 'builtins', '__builtin__', 'runpy', 'sys', 'shutil', 'socket', 'pty',
  'importlib', 'pickle', '_pickle', 'marshal', 'ctypes', 'code', 'codeop', 'bdb', 'pdb', 'timeit', 'cProfile', 'profile',
  'pydoc', 'trace', 'webbrowser', 'asyncio', 'multiprocessing', 'operator', '_operator', 'functools', 'pkgutil', 'idlelib',
  'lib2to3', 'types', 'io', 'tempfile', 'urllib', 'requests', 'http', 'copyreg', 'numpy.testing', 'torch.hub',
]);

export const unsafePickle: ModelRule = {
  code: 'unsafe-pickle',
  drawback: 'security',
  defaultSeverity: 'error',
  title: 'Loading this pickle-based model file can run arbitrary code',
  explanation: `
PyTorch checkpoints (\`.pt\`, \`.pth\`, \`.bin\`, \`.ckpt\`) and plain pickles are programs for Python's pickle
machine: a \`GLOBAL\` opcode imports any function and \`REDUCE\` calls it. \`torch.load(weights_only=False)\`,
\`pickle.load\` and older libraries that wrap them run whatever a file names — \`os.system\`,
\`builtins.eval\`, \`subprocess.Popen\` — the moment it is loaded. Scanners that look for a fixed list of
bad names are bypassed with less-known modules (\`timeit.timeit\`, \`pydoc.pipepager\`, \`cProfile.run\`,
\`operator.attrgetter\` chains), so DL Doctor does the opposite: it reads the pickle with an interpreter
that never imports or calls anything, and reports every global outside an allowlist of what real
checkpoints use (tensor rebuild functions, storage and dtype names, \`collections.OrderedDict\`,
NumPy array reconstruction).

A fully pickled model (\`torch.save(model)\`) names its own classes (\`__main__.Net\`); loading it needs
\`weights_only=False\` too, so it is reported with a milder severity.

## How to fix
- Do not load a file that names code-running globals; get it from its source again and compare hashes.
- Load checkpoints with \`torch.load(path, weights_only=True)\` (the default since PyTorch 2.6).
- Save weights, not objects: \`torch.save(model.state_dict(), path)\`, or better, safetensors
  (\`safetensors.torch.save_file\`), which holds no code at all.
Sources: Python docs, "pickle — Python object serialization" (warning); PyTorch docs, \`torch.load\`
(weights_only); Trail of Bits, "Never a dill moment: Exploiting machine learning pickle files" (2021).
`,
  checkModel(model): RuleHit[] {
    const globals = 'summary' in model ? model.summary.globals : model.error.globals;
    const unsafe = unsafeGlobals(globals);
    if (unsafe.length === 0) return [];
    const dangerous = unsafe.filter((g) => !isClassName(g));
    const list = (names: string[]) => names.slice(0, 6).map(display).join(', ') + (names.length > 6 ? ` and ${names.length - 6} more` : '');
    if (dangerous.length > 0) {
      return [
        {
          range: WHOLE_FILE,
          message:
            `Loading this file imports and calls ${list(dangerous)}: torch.load(weights_only=False) or pickle.load would run that code. ` +
            `Do not load it; if you trust its source, load with weights_only=True and re-save the weights as safetensors.`,
          data: { globals: unsafe },
        },
      ];
    }
    return [
      {
        range: WHOLE_FILE,
        severity: 'warning',
        message:
          `A fully pickled model: loading it imports ${list(unsafe)} and needs torch.load(weights_only=False), which would also run any code a tampered copy carries. ` +
          `Save model.state_dict() (or safetensors) instead.`,
        data: { globals: unsafe },
      },
    ];
  },
};

/** Pickles name some functions by their implementation module: show the name users know too. */
const KNOWN_AS: Record<string, string> = { posix: 'os', nt: 'os', __builtin__: 'builtins', commands: 'subprocess', _operator: 'operator' };

function display(global: string): string {
  const [module, ...rest] = global.split('.');
  return KNOWN_AS[module] ? `${KNOWN_AS[module]}.${rest.join('.')} (${global})` : global;
}

/** `package.module.ClassName` from a module that is not known to run code. */
function isClassName(global: string): boolean {
  const parts = global.split('.');
  const name = parts[parts.length - 1];
  const module = parts.slice(0, -1).join('.');
  if (!/^[A-Z]/.test(name)) return false;
  return ![...DANGEROUS_ROOTS].some((root) => module === root || module.startsWith(`${root}.`));
}
