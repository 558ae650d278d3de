import type { Node } from 'web-tree-sitter';
import type { PythonFile } from '../python-file';
import { constructorOf } from './assignments';
import { disablesGradients, soundsLikeEvaluation } from './evaluation-passes';
import { isLightningModule } from './lightning-modules';
import { calledFunction, enclosingFunction } from './reachable-calls';
import { isBackward } from './training-loops';

/** A loop that runs a model for evaluation: under `torch.no_grad()`, or in a function named like one. */
export interface EvaluationLoop {
  /** The `for` over the evaluation data. */
  loop: Node;
  /** The first call of the model inside it: `model(images)`. */
  modelCall: Node;
  /** The model as written: `model`, `self.net`. */
  model: string;
  /** What makes it an evaluation: the `with torch.no_grad()` statement, the decorator, or the function. */
  context: Node;
  contextLabel: string;
}

/** Names of functions that evaluate (narrower than `soundsLikeEvaluation`: no `predict`/`score`, which also serve inference). */
const EVAL_FUNCTION = /^_*(eval|evaluate|evaluation|validate|validation|valid|val|test|testing)(_|$)|_(eval|evaluate|evaluation|validate|validation|valid|val|test)$/i;
const MAX_LOOPS = 400;

export function evaluationLoops(file: PythonFile): EvaluationLoop[] {
  const found: EvaluationLoop[] = [];
  for (const loop of file.nodesOfType('for_statement').slice(0, MAX_LOOPS)) {
    const context = evaluationContext(file, loop);
    if (!context) continue;
    const body = loop.childForFieldName('body');
    const calls = body ? body.descendantsOfType('call').filter((c): c is Node => c !== null) : [];
    if (calls.some((c) => isBackward(file, c))) continue;
    // A model call whose result is thrown away runs for its side effects: BatchNorm recalibration
    // (`update_bn`-style loops) wants training mode on purpose.
    const modelCall = calls.find((c) => modelName(file, c) !== undefined && c.parent?.type !== 'expression_statement');
    if (!modelCall || deliberateTrainingMode(loop)) continue;
    // Nested loops over the same region report once, on the outer loop.
    if (found.some((f) => f.modelCall.startIndex === modelCall.startIndex)) continue;
    found.push({ loop, modelCall, model: modelName(file, modelCall)!, ...context });
  }
  return found;
}

function evaluationContext(file: PythonFile, loop: Node): { context: Node; contextLabel: string } | undefined {
  for (let p = loop.parent; p; p = p.parent) {
    if (p.type === 'with_statement') {
      const call = p.descendantsOfType('with_item')[0]?.childForFieldName('value');
      if (call?.type === 'call' && disablesGradients(file, call)) return { context: p, contextLabel: `\`with ${call.text}\`` };
    }
    if (p.type === 'function_definition') {
      // Lightning switches the module to eval mode around validation_step/test_step itself.
      if (inLightningModule(file, p)) return undefined;
      const name = p.childForFieldName('name')?.text ?? '';
      const decorated = p.parent?.type === 'decorated_definition' ? p.parent : undefined;
      const decorator = decorated?.descendantsOfType('decorator').find((d) => {
        const call = d?.namedChildren.find((c) => c !== null);
        return call?.type === 'call' && disablesGradients(file, call);
      });
      if (decorator) return { context: p, contextLabel: `\`${decorator.text}\` \`${name}\`` };
      if (EVAL_FUNCTION.test(name) && soundsLikeEvaluation(name)) {
        if (p.descendantsOfType('call').some((c) => c !== null && isBackward(file, c))) return undefined;
        return { context: p, contextLabel: `\`${name}()\`` };
      }
      return undefined;
    }
  }
  return undefined;
}

/** Monte Carlo dropout and BatchNorm recalibration keep training mode on purpose; their functions say so. */
function deliberateTrainingMode(loop: Node): boolean {
  for (let p = loop.parent; p; p = p.parent) {
    if (p.type !== 'function_definition') continue;
    const words = (p.childForFieldName('name')?.text ?? '').toLowerCase().split(/_+/);
    if (words.some((w) => ['mc', 'dropout', 'uncertainty', 'bn', 'batchnorm', 'calibrate', 'recalibrate', 'swa', 'stochastic'].includes(w))) return true;
  }
  return false;
}

function inLightningModule(file: PythonFile, fn: Node): boolean {
  for (let p = fn.parent; p; p = p.parent) if (p.type === 'class_definition') return isLightningModule(file, p);
  return false;
}

/**
 * The model a call runs, when the callee is one: a name built from a torch module (a class of this
 * file, `nn.Sequential`, a torchvision model), or a parameter called `model`/`net`/`classifier`.
 */
function modelName(file: PythonFile, call: Node): string | undefined {
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'identifier' && fn?.type !== 'attribute') return undefined;
  if (file.qualifiedName(fn) !== undefined || calledFunction(file, call)) return undefined;
  const name = fn.text;
  const modelLike = /^(self\.)?(model|net|network|classifier|\w*_model|model_\w*)$/.test(name);
  const fnScope = enclosingFunction(call);
  const params = (fnScope?.childForFieldName('parameters')?.namedChildren ?? []).map((p) =>
    p?.type === 'identifier' ? p.text : (p?.childForFieldName('name')?.text ?? p?.namedChildren[0]?.text),
  );
  if (params.includes(name)) return modelLike ? name : undefined;
  const built = constructorOf(file, name);
  if (!built) return modelLike && name.startsWith('self.') ? name : undefined;
  const callee = file.calleeName(built) ?? '';
  if (/^(torch\.nn\.(modules\.\w+\.)?Sequential|torchvision\.models\.\w+)$/.test(callee)) return name;
  const local = built.childForFieldName('function');
  if (local?.type === 'identifier' && file.nodesOfType('class_definition').some((c) => c.childForFieldName('name')?.text === local.text)) {
    return isTorchModuleClass(file, local.text) ? name : undefined;
  }
  // Built by something imported (a workspace factory, timm, a hub): a model when it is named like one.
  return modelLike && !callee.startsWith('torch.') ? name : undefined;
}

/** A class of this file deriving (through local classes) from `torch.nn.Module` or Lightning's module. */
function isTorchModuleClass(file: PythonFile, name: string, depth = 0): boolean {
  if (depth > 4) return false;
  const cls = file.nodesOfType('class_definition').find((c) => c.childForFieldName('name')?.text === name);
  for (const base of cls?.childForFieldName('superclasses')?.namedChildren ?? []) {
    if (!base) continue;
    if (/^(torch\.nn(\.modules\.module)?\.Module|(lightning|pytorch_lightning|lightning\.pytorch)\.LightningModule)$/.test(file.qualifiedName(base) ?? '')) return true;
    if (base.type === 'identifier' && base.text !== name && isTorchModuleClass(file, base.text, depth + 1)) return true;
  }
  return false;
}
