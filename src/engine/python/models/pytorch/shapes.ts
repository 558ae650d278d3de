import type { Node } from 'web-tree-sitter';
import type { PythonFile } from '../../python-file';
import { named, ownMethod, type ModelBuilder } from './interpreter';
import { isObject, type ModuleValue, type Value } from './module-values';

/**
 * Shapes of one sample through a model, and the multiply-accumulates (MACs) of its Linear and
 * convolution layers on the way. Only what is certain: an `nn.Sequential`, or a module whose
 * `forward` is a plain chain (`x = self.conv(x)`, `F.relu`, pooling, `flatten`/`view`, residual `+`).
 * Anything else (an RNN, attention, indexing, a branch) ends the walk with no MACs at all.
 *
 * MACs per layer follow the usual convention (e.g. ptflops, fvcore): Linear in×out per output
 * position; Conv out_elements × in_channels/groups × kernel; ConvTranspose in_elements ×
 * out_channels/groups × kernel. Normalisation, activations and pooling are not counted.
 */

/** Shapes are one sample, channels first, without the batch dimension. */
type Shape = number[];

const ELEMENTWISE_MODULES = new Set(
  (
    'Identity Dropout Dropout1d Dropout2d Dropout3d AlphaDropout ReLU ReLU6 LeakyReLU ELU SELU CELU GELU SiLU Mish Sigmoid Tanh ' +
    'Softplus Hardtanh Hardsigmoid Hardswish LogSigmoid Softmax LogSoftmax PReLU BatchNorm1d BatchNorm2d BatchNorm3d ' +
    'InstanceNorm1d InstanceNorm2d InstanceNorm3d GroupNorm LayerNorm LocalResponseNorm'
  ).split(' '),
);
const ELEMENTWISE_FUNCTIONS = new Set([
  'torch.nn.functional.relu',
  'torch.nn.functional.relu6',
  'torch.nn.functional.leaky_relu',
  'torch.nn.functional.elu',
  'torch.nn.functional.gelu',
  'torch.nn.functional.silu',
  'torch.nn.functional.sigmoid',
  'torch.nn.functional.tanh',
  'torch.nn.functional.dropout',
  'torch.nn.functional.softmax',
  'torch.nn.functional.log_softmax',
  'torch.relu',
  'torch.sigmoid',
  'torch.tanh',
  'torch.softmax',
  'torch.log_softmax',
]);
const MAX_ELEMENTS = 1e12;
const MAX_WALK = 10_000;

export interface MacsResult {
  macs: number;
  output: Shape;
}

export class ShapeWalker {
  private macs = 0;
  private steps = 0;

  constructor(
    private readonly file: PythonFile,
    private readonly builder: ModelBuilder,
  ) {}

  run(module: ModuleValue, input: Shape): MacsResult | undefined {
    const output = this.module(module, input, 0);
    return output && Number.isSafeInteger(this.macs) ? { macs: this.macs, output } : undefined;
  }

  private module(module: ModuleValue, shape: Shape, depth: number): Shape | undefined {
    if (depth > 48 || ++this.steps > MAX_WALK || shape.some((d) => !Number.isSafeInteger(d) || d <= 0) || product(shape) > MAX_ELEMENTS) return undefined;
    if (module.builtin) {
      if (module.type === 'Sequential') {
        let current: Shape | undefined = shape;
        for (const child of module.children.values()) {
          current = current && this.module(child, current, depth + 1);
        }
        return current;
      }
      return this.layer(module, shape);
    }
    return this.forward(module, shape, depth);
  }

  private layer(module: ModuleValue, shape: Shape): Shape | undefined {
    const spec = module.layer;
    if (!spec) return undefined;
    const a = spec.args;
    const type = spec.type;
    if (ELEMENTWISE_MODULES.has(type)) {
      if (/^(BatchNorm|InstanceNorm)/.test(type) && a.num_features !== shape[0]) return undefined;
      return shape;
    }
    if (type === 'Linear') {
      if (shape.at(-1) !== a.in_features || typeof a.out_features !== 'number') return undefined;
      this.macs += product(shape) * a.out_features;
      return [...shape.slice(0, -1), a.out_features];
    }
    const conv = /^Conv(Transpose)?([123])d$/.exec(type);
    if (conv) return this.convolution(a, shape, Number(conv[2]), conv[1] !== undefined);
    const pool = /^(Max|Avg)Pool([123])d$/.exec(type);
    if (pool) {
      const dims = Number(pool[2]);
      const kernel = tuple(a['#0'] ?? a.kernel_size, dims);
      const stride = tuple(a['#1'] ?? a.stride ?? a['#0'] ?? a.kernel_size, dims);
      const padding = tuple(a['#2'] ?? a.padding ?? 0, dims);
      const dilation = pool[1] === 'Max' ? tuple(a['#3'] ?? a.dilation ?? 1, dims) : tuple(1, dims);
      if (a.ceil_mode === true || (pool[1] === 'Max' && a['#5'] === true) || (pool[1] === 'Avg' && a['#3'] === true)) return undefined;
      if (a.stride === null) return this.pooled(shape, dims, kernel, kernel, padding, dilation);
      return this.pooled(shape, dims, kernel, stride, padding, dilation);
    }
    const adaptive = /^Adaptive(Avg|Max)Pool([123])d$/.exec(type);
    if (adaptive) {
      const dims = Number(adaptive[2]);
      const size = tuple(a['#0'] ?? a.output_size, dims);
      return size && shape.length === dims + 1 ? [shape[0], ...size] : undefined;
    }
    if (type === 'Flatten') {
      const start = a['#0'] ?? a.start_dim ?? 1;
      const end = a['#1'] ?? a.end_dim ?? -1;
      return typeof start === 'number' && typeof end === 'number' ? flatten(shape, start, end) : undefined;
    }
    return undefined;
  }

  private convolution(a: Record<string, Value>, shape: Shape, dims: number, transposed: boolean): Shape | undefined {
    const inC = a.in_channels;
    const outC = a.out_channels;
    const groups = a.groups;
    if (typeof inC !== 'number' || typeof outC !== 'number' || typeof groups !== 'number' || shape.length !== dims + 1 || shape[0] !== inC) return undefined;
    const kernel = tuple(a.kernel_size, dims);
    const stride = tuple(a.stride, dims);
    const dilation = tuple(a.dilation, dims);
    if (!kernel || !stride || !dilation) return undefined;
    const spatial = shape.slice(1);
    let out: number[];
    if (transposed) {
      const padding = tuple(a.padding, dims);
      const extra = tuple(a.output_padding, dims);
      if (!padding || !extra) return undefined;
      out = spatial.map((l, i) => (l - 1) * stride[i] - 2 * padding[i] + dilation[i] * (kernel[i] - 1) + extra[i] + 1);
      this.macs += product(shape) * (outC / groups) * product(kernel);
    } else {
      let padding: number[] | undefined;
      if (a.padding === 'same') padding = undefined;
      else if (a.padding === 'valid') padding = spatial.map(() => 0);
      else padding = tuple(a.padding, dims);
      if (a.padding === 'same') out = spatial;
      else if (!padding) return undefined;
      else out = spatial.map((l, i) => Math.floor((l + 2 * padding[i] - dilation[i] * (kernel[i] - 1) - 1) / stride[i]) + 1);
      this.macs += outC * product(out) * (inC / groups) * product(kernel);
    }
    return out.every((d) => d > 0) ? [outC, ...out] : undefined;
  }

  private pooled(shape: Shape, dims: number, kernel?: number[], stride?: number[], padding?: number[], dilation?: number[]): Shape | undefined {
    if (!kernel || !stride || !padding || !dilation || shape.length < dims + 1) return undefined;
    const lead = shape.slice(0, shape.length - dims);
    const spatial = shape.slice(shape.length - dims);
    const out = spatial.map((l, i) => Math.floor((l + 2 * padding[i] - dilation[i] * (kernel[i] - 1) - 1) / stride[i]) + 1);
    return out.every((d) => d > 0) ? [...lead, ...out] : undefined;
  }

  /** A custom module: follows `forward(self, x)` when it is a plain chain of statements. */
  private forward(module: ModuleValue, shape: Shape, depth: number): Shape | undefined {
    const forward = module.classNode && ownMethod(module.classNode, 'forward');
    if (!forward) return undefined;
    const params = named(forward.childForFieldName('parameters'));
    if (params.length !== 2 || params.some((p) => p.type !== 'identifier')) return undefined;
    const env = new Map<string, Shape | ModuleValue>([[params[1].text, shape]]);
    return this.statements(named(forward.childForFieldName('body')), env, module, depth);
  }

  private statements(statements: Node[], env: Map<string, Shape | ModuleValue>, self: ModuleValue, depth: number): Shape | undefined {
    for (const statement of statements) {
      if (++this.steps > MAX_WALK) return undefined;
      if (statement.type === 'return_statement') {
        const value = named(statement)[0];
        return value ? this.expression(value, env, self, depth) : undefined;
      }
      if (statement.type === 'for_statement') {
        // `for layer in self.layers: x = layer(x)`
        const left = statement.childForFieldName('left');
        const right = statement.childForFieldName('right');
        const list = right && this.selfModule(right, self);
        if (left?.type !== 'identifier' || !list || !['ModuleList', 'Sequential'].includes(list.type)) return undefined;
        const body = named(statement.childForFieldName('body'));
        for (const child of list.children.values()) {
          env.set(left.text, child);
          if (this.statements(body, env, self, depth) !== undefined || !this.assignedOnly(body)) return undefined;
        }
        env.delete(left.text);
        continue;
      }
      if (statement.type !== 'expression_statement') return undefined;
      const inner = named(statement)[0];
      if (inner?.type === 'string') continue;
      if (inner?.type === 'assignment' || inner?.type === 'augmented_assignment') {
        const target = inner.childForFieldName('left');
        const right = inner.childForFieldName('right');
        if (target?.type !== 'identifier' || !right) return undefined;
        let value = this.expression(right, env, self, depth);
        if (inner.type === 'augmented_assignment') {
          const current = env.get(target.text);
          if (inner.childForFieldName('operator')?.text !== '+=' || !Array.isArray(current) || !value || !same(current, value)) return undefined;
          value = current;
        }
        if (!value) return undefined;
        env.set(target.text, value);
        continue;
      }
      return undefined;
    }
    return undefined;
  }

  /** True when a loop body only assigns (so falling off its end is not a missing return). */
  private assignedOnly(body: Node[]): boolean {
    return body.every((s) => s.type === 'expression_statement');
  }

  private selfModule(node: Node, self: ModuleValue): ModuleValue | undefined {
    if (node.type !== 'attribute' || node.childForFieldName('object')?.text !== 'self') return undefined;
    const child = self.children.get(node.childForFieldName('attribute')!.text);
    return child;
  }

  private expression(node: Node, env: Map<string, Shape | ModuleValue>, self: ModuleValue, depth: number): Shape | undefined {
    if (++this.steps > MAX_WALK) return undefined;
    if (node.type === 'parenthesized_expression') {
      const inner = named(node)[0];
      return inner && this.expression(inner, env, self, depth);
    }
    if (node.type === 'identifier') {
      const value = env.get(node.text);
      return Array.isArray(value) ? value : undefined;
    }
    if (node.type === 'binary_operator' && node.childForFieldName('operator')?.text === '+') {
      const a = this.expression(node.childForFieldName('left')!, env, self, depth);
      const b = a && this.expression(node.childForFieldName('right')!, env, self, depth);
      return a && b && same(a, b) ? a : undefined;
    }
    if (node.type !== 'call') return undefined;
    const fn = node.childForFieldName('function')!;
    const args = named(node.childForFieldName('arguments')).filter((a) => a.type !== 'comment');
    const positional = args.filter((a) => a.type !== 'keyword_argument');
    // self.layer(x) or a loop variable bound to a module
    const callee = fn.type === 'identifier' ? env.get(fn.text) : this.selfModule(fn, self);
    if (callee && !Array.isArray(callee)) {
      if (positional.length !== 1 || args.length !== 1) return undefined;
      const input = this.expression(positional[0], env, self, depth);
      return input && this.module(callee, input, depth + 1);
    }
    // Names in a forward resolve in the file that defines the module.
    const qualified = (self.builder?.file ?? this.file).qualifiedName(fn);
    if (qualified && ELEMENTWISE_FUNCTIONS.has(qualified)) {
      return positional[0] ? this.expression(positional[0], env, self, depth) : undefined;
    }
    const pool = qualified && /^torch\.nn\.functional\.(max|avg)_pool([123])d$/.exec(qualified);
    if (pool) {
      const dims = Number(pool[2]);
      const input = positional[0] && this.expression(positional[0], env, self, depth);
      if (!input || args.some((a) => a.type === 'keyword_argument' && !['kernel_size', 'stride'].includes(a.childForFieldName('name')!.text))) return undefined;
      const kernel = tuple(this.value(positional[1] ?? keyword(args, 'kernel_size'), self), dims);
      const strideNode = positional[2] ?? keyword(args, 'stride');
      const stride = strideNode ? tuple(this.value(strideNode, self), dims) : kernel;
      if (positional.length > 3) return undefined;
      return this.pooled(input, dims, kernel, stride, tuple(0, dims), tuple(1, dims));
    }
    if (qualified === 'torch.flatten') {
      const input = positional[0] && this.expression(positional[0], env, self, depth);
      const start = positional[1] ? this.value(positional[1], self) : 0;
      return input && typeof start === 'number' && positional.length <= 2 && args.length === positional.length ? flatten(input, start, -1) : undefined;
    }
    if (fn.type === 'attribute') {
      const method = fn.childForFieldName('attribute')!.text;
      const objectNode = fn.childForFieldName('object')!;
      const input = this.expression(objectNode, env, self, depth);
      if (!input) return undefined;
      if (method === 'flatten') {
        const start = positional[0] ? this.value(positional[0], self) : 0;
        return typeof start === 'number' && positional.length <= 1 && args.length === positional.length ? flatten(input, start, -1) : undefined;
      }
      if (method === 'view' || method === 'reshape') return this.view(input, positional, objectNode, self, args.length);
      if (['relu', 'sigmoid', 'tanh', 'contiguous'].includes(method) && args.length === 0) return input;
    }
    return undefined;
  }

  /** `x.view(x.size(0), -1)`, `x.view(-1, 16 * 5 * 5)`, `x.reshape(len(x), 128)`. */
  private view(input: Shape, dims: Node[], object: Node, self: ModuleValue, argCount: number): Shape | undefined {
    if (dims.length < 2 || argCount !== dims.length) return undefined;
    const [batch, ...rest] = dims;
    const batchIsSize = /^(\w+)\.(size\(0\)|shape\[0\])$/.exec(batch.text);
    const batchValue = batchIsSize && batchIsSize[1] === object.text ? 'batch' : this.value(batch, self);
    const sizes = rest.map((d) => this.value(d, self));
    if (sizes.some((s) => typeof s !== 'number' || !Number.isInteger(s))) return undefined;
    const numbers = sizes as number[];
    const total = product(input);
    const inferred = numbers.filter((n) => n === -1).length;
    if (batchValue === 'batch') {
      if (inferred > 1) return undefined;
      const known = product(numbers.filter((n) => n !== -1));
      if (known <= 0 || total % known) return undefined;
      return numbers.map((n) => (n === -1 ? total / known : n));
    }
    // `view(-1, N)`: the batch is inferred; exact only when one sample holds exactly N elements.
    if (batchValue === -1 && inferred === 0 && product(numbers) === total) return numbers;
    return undefined;
  }

  private value(node: Node | undefined, self: ModuleValue): Value | undefined {
    if (!node) return undefined;
    const builder = self.builder ?? this.builder;
    const frame = builder.moduleFrame([]);
    frame.locals.set('self', self);
    return builder.evaluate(node, frame, 0);
  }
}

function keyword(args: Node[], name: string): Node | undefined {
  const arg = args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === name);
  return arg?.childForFieldName('value') ?? undefined;
}

function tuple(value: Value | undefined, dims: number): number[] | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return Array.from({ length: dims }, () => value);
  if (isObject(value, 'list') && value.items.length === dims && value.items.every((v) => typeof v === 'number' && Number.isInteger(v))) return value.items as number[];
  return undefined;
}

function product(values: number[]): number {
  return values.reduce((a, b) => a * b, 1);
}

function same(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** `torch.flatten(x, start, end)` with dims counted with the batch dimension at 0. */
function flatten(shape: Shape, start: number, end: number): Shape | undefined {
  const rank = shape.length + 1;
  const s = start < 0 ? rank + start : start;
  const e = end < 0 ? rank + end : end;
  if (s < 1 || e < s || e >= rank) return s === 0 ? undefined : undefined;
  const from = s - 1;
  const to = e - 1;
  return [...shape.slice(0, from), product(shape.slice(from, to + 1)), ...shape.slice(to + 1)];
}
