import type { TensorInfo } from '../model-summary';
import type { TensorRole } from './model-report';

/**
 * A model's tensors grouped into modules by their names: `encoder.layer.0.attention.self.query.weight`
 * sits under encoder → layer → 0 → attention → self → query. PyTorch, safetensors, GGUF and ONNX name
 * tensors with dots, Keras with slashes; both separate modules. Counts are totals over the subtree.
 */
export interface ModuleNode {
  /** Path from the root, segments joined with "." ("" for the root). */
  path: string;
  /** The last segment of the path. */
  name: string;
  /** Elements of trained tensors (weights and biases, not statistics or integer tensors) in this module and below. */
  parameters: number;
  /** Tensors in this module and below. */
  tensorCount: number;
  /** Submodules, in the order their first tensor appears in the file. */
  children: ModuleNode[];
  /** Indices into the summary's tensor list of the tensors directly in this module. */
  tensors: number[];
}

/** Separators between module names in tensor names. */
const SEPARATOR = /[./]/;
/** Tensor names longer than this are not split (real ones stay far below it). */
const MAX_SEGMENTS = 64;

export function moduleTree(tensors: readonly TensorInfo[], roles: readonly TensorRole[]): ModuleNode {
  const root = node('', '');
  const byPath = new Map<string, ModuleNode>([['', root]]);
  tensors.forEach((tensor, index) => {
    const segments = tensor.name.split(SEPARATOR).filter(Boolean);
    const modules = segments.length > 1 && segments.length <= MAX_SEGMENTS ? segments.slice(0, -1) : [];
    const size = roles[index] === 'parameter' ? tensor.numel : 0;
    let parent = root;
    add(root, size);
    let path = '';
    for (const segment of modules) {
      path = path ? `${path}.${segment}` : segment;
      let child = byPath.get(path);
      if (!child) {
        child = node(path, segment);
        byPath.set(path, child);
        parent.children.push(child);
      }
      add(child, size);
      parent = child;
    }
    parent.tensors.push(index);
  });
  return root;
}

function node(path: string, name: string): ModuleNode {
  return { path, name, parameters: 0, tensorCount: 0, children: [], tensors: [] };
}

function add(module: ModuleNode, size: number): void {
  module.parameters += size;
  module.tensorCount += 1;
}
