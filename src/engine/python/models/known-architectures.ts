import type { Node } from 'web-tree-sitter';
import type { ModelEstimate } from '../../cost/model-estimate';
import type { PythonFile } from '../python-file';
import { boundName, freezing } from './freezing';
import { hubModel } from './hub-registry';
import { KERAS_APPLICATIONS, KERAS_APPLICATIONS_SOURCE } from './keras-applications-registry';
import { TORCHVISION_VERSION, torchvisionModel, type TorchvisionModel } from './torchvision-registry';

/** Class counts beyond this are a typo or an unresolved expression gone wrong, not a classifier. */
const MAX_CLASSES = 10_000_000;

/**
 * timm names whose architecture is the torchvision one, parameter for parameter (timm's model cards give
 * the same sizes: resnet50.a1_in1k "25.6M", vit_base_patch16_224.augreg_in21k_ft_in1k "86.6M").
 */
const TIMM_AS_TORCHVISION: Readonly<Record<string, string>> = {
  resnet18: 'resnet18',
  resnet34: 'resnet34',
  resnet50: 'resnet50',
  resnet101: 'resnet101',
  resnet152: 'resnet152',
  vit_base_patch16_224: 'vit_b_16',
  vit_large_patch16_224: 'vit_l_16',
  convnext_tiny: 'convnext_tiny',
  convnext_small: 'convnext_small',
  convnext_base: 'convnext_base',
  convnext_large: 'convnext_large',
};

/** Keywords that leave a torchvision or timm architecture as the table has it; any other may change it. */
const NEUTRAL_KEYWORDS = new Set(['weights', 'pretrained', 'progress', 'num_classes', 'dropout', 'zero_init_residual', 'stochastic_depth_prob', 'attention_dropout', 'drop_rate', 'drop_path_rate', 'init_weights', 'transform_input']);
const KERAS_KEYWORDS = new Set(['include_top', 'weights', 'input_tensor', 'input_shape', 'pooling', 'classes', 'classifier_activation', 'name']);

/** A script that builds a catalogue model names one of these (imports, attribute paths or the method). */
const CATALOGUE_WORDS = ['torchvision', 'timm', 'applications', 'from_pretrained'];

/** Base-model classes whose size is the checkpoint's, and task heads that add to it. */
const HUB_FAMILIES = ['Bert', 'DistilBert', 'Roberta', 'GPT2', 'T5', 'ViT'];

/**
 * Models a script builds from a library's catalogue: `torchvision.models.resnet18(...)`,
 * `timm.create_model("resnet50")`, `keras.applications.ResNet50(...)`, `AutoModel.from_pretrained("bert-base-uncased")`.
 * Counts come from generated or published tables (see the registries); anything that does not resolve
 * (a `**kwargs`, a name not in the tables, a computed class count) gives "at least" or nothing.
 */
export function knownArchitectures(file: PythonFile): ModelEstimate[] {
  // Most scripts name no catalogue: skip resolving every call's name for them.
  if (!CATALOGUE_WORDS.some((word) => file.text.includes(word))) return [];
  const found: ModelEstimate[] = [];
  for (const call of file.calls) {
    const estimate = torchvisionCall(file, call) ?? timmCall(file, call) ?? kerasCall(file, call) ?? hubCall(file, call);
    if (!estimate) continue;
    const name = boundName(call);
    const frozen = name ? freezing(file, name) : undefined;
    if (frozen) {
      estimate.frozen = true;
      estimate.notes.push(`${frozen.whole ? `\`${name}\` is frozen` : `part of \`${name}\` is frozen`} (line ${frozen.line + 1})`);
    }
    found.push(estimate);
  }
  return found;
}

function torchvisionCall(file: PythonFile, call: Node): ModelEstimate | undefined {
  const qualified = file.calleeName(call);
  if (!qualified?.startsWith('torchvision.models.')) return undefined;
  const tail = qualified.slice(qualified.lastIndexOf('.') + 1);
  const entry = torchvisionModel(tail);
  if (!entry || !onlyKeywords(file, call, NEUTRAL_KEYWORDS)) return undefined;
  const notes: string[] = [];
  const weights = torchvisionWeights(file, call, notes);
  const pretrained = weights !== undefined;
  const source = `torchvision ${TORCHVISION_VERSION} \`${tail}\`, counted by test/fixtures/model-code/generate_torchvision_registry.py`;
  return { ...headed(file, call, entry, weights === undefined ? undefined : weightsCount(entry, weights), source, notes), range: file.range(call), name: `torchvision.models.${tail}`, framework: 'pytorch', pretrained };
}

function timmCall(file: PythonFile, call: Node): ModelEstimate | undefined {
  if (file.calleeName(call) !== 'timm.create_model' || !onlyKeywords(file, call, new Set([...NEUTRAL_KEYWORDS, 'model_name']))) return undefined;
  const id = file.evaluate(file.positionalArguments(call)[0] ?? file.keywordArgument(call, 'model_name'))?.value;
  if (typeof id !== 'string') return undefined;
  // `resnet50.a1_in1k`: the part after the dot names pretrained weights, not a different architecture.
  const architecture = id.split('.')[0];
  const torchvisionName = Object.hasOwn(TIMM_AS_TORCHVISION, architecture) ? TIMM_AS_TORCHVISION[architecture] : undefined;
  const entry = torchvisionName && torchvisionModel(torchvisionName);
  if (!entry) return undefined;
  const notes: string[] = [];
  const pretrained = flag(file, call, 'pretrained', notes) ?? false;
  const source = `timm \`${architecture}\` has torchvision's \`${torchvisionName}\` architecture (${TORCHVISION_VERSION})`;
  // timm's pretrained weights keep the architecture (no auxiliary heads, the table's image size).
  const estimate = headed(file, call, entry, undefined, source, notes);
  return { ...estimate, range: file.range(call), name: `timm ${id}`, framework: 'pytorch', pretrained };
}

/** No `**kwargs` and no keyword outside `allowed` (one that could change the architecture). */
function onlyKeywords(file: PythonFile, call: Node, allowed: ReadonlySet<string>): boolean {
  if (file.hasSplat(call)) return false;
  const args = call.childForFieldName('arguments')?.namedChildren ?? [];
  return args.every((arg) => arg?.type !== 'keyword_argument' || allowed.has(arg.childForFieldName('name')?.text ?? ''));
}

/** Parameters (and MACs) of a torchvision-shaped model with the head `num_classes=` asks for. */
function headed(
  file: PythonFile,
  call: Node,
  entry: TorchvisionModel,
  withWeights: { count: number; exact: boolean; weights: string } | undefined,
  source: string,
  notes: string[],
): Pick<ModelEstimate, 'parameters' | 'macsPerSample' | 'inputShape' | 'notes'> {
  const classesNode = file.keywordArgument(call, 'num_classes');
  const classes = classesNode && file.evaluate(classesNode);
  let parameters: ModelEstimate['parameters'];
  let defaultHead = false;
  if (!classesNode && withWeights) {
    parameters = { count: withWeights.count, exact: withWeights.exact };
    defaultHead = withWeights.count === entry.parameters;
    notes.push(`${withWeights.exact ? '' : 'at least '}${parameters.count.toLocaleString('en-US')} parameters with ${withWeights.weights} (as the weights declare; ${source})`);
  } else if (!classesNode) {
    parameters = { count: entry.parameters, exact: true };
    defaultHead = true;
    notes.push(`${parameters.count.toLocaleString('en-US')} parameters with the 1000-class ImageNet head (${source})`);
  } else if (typeof classes?.value === 'number' && Number.isInteger(classes.value) && classes.value >= 0 && classes.value <= MAX_CLASSES) {
    parameters = { count: entry.base + classes.value * entry.perClass, exact: true };
    defaultHead = classes.value === 1000;
    notes.push(
      `${entry.base.toLocaleString('en-US')} + ${classes.value.toLocaleString('en-US')} classes × ${entry.perClass.toLocaleString('en-US')} = ${parameters.count.toLocaleString('en-US')} parameters` +
        `${classes.via ? ` (num_classes from ${classes.via})` : ''}; ${source}`,
    );
  } else {
    parameters = { count: entry.base, exact: false };
    notes.push(`\`num_classes\` does not resolve: at least ${entry.base.toLocaleString('en-US')} parameters without the classifier (${source})`);
  }
  const shape = entry.inputShape;
  // The head's MACs depend on num_classes; the table has them for the default head only.
  if (entry.macs !== undefined && defaultHead) {
    notes.push(`${(entry.macs / 1e9).toFixed(2)} GMAC per ${shape.join('×')} sample (conv and linear layers, same generator)`);
    return { parameters, macsPerSample: entry.macs, inputShape: shape, notes };
  }
  return { parameters, notes };
}

/**
 * The ImageNet weights a torchvision constructor loads: `weights="IMAGENET1K_V1"`, `weights=ResNet18_Weights.DEFAULT`
 * (the member's name), `pretrained=True` (torchvision maps it to `IMAGENET1K_V1`), '?' when a weights
 * argument does not resolve; undefined for none (`weights=None`, or no argument).
 */
function torchvisionWeights(file: PythonFile, call: Node, notes: string[]): string | undefined {
  const weights = file.keywordArgument(call, 'weights');
  if (weights) {
    const value = file.evaluate(weights);
    if (value) return typeof value.value === 'string' ? value.value : value.value === null || value.value === false ? undefined : '?';
    if (weights.type === 'none') return undefined;
    if (weights.type === 'attribute') return weights.childForFieldName('attribute')?.text ?? '?';
    notes.push(`\`weights=${weights.text}\` does not resolve: taken as pretrained weights`);
    return '?';
  }
  const positional = file.positionalArguments(call)[0];
  const legacy = flag(file, call, 'pretrained', notes) ?? (positional ? file.evaluate(positional)?.value === true : false);
  return legacy ? 'IMAGENET1K_V1' : undefined;
}

/** Parameters with the named weights loaded; "at least" the smallest when the name does not resolve to one. */
function weightsCount(entry: TorchvisionModel, weights: string): { count: number; exact: boolean; weights: string } | undefined {
  const table = entry.weightParameters;
  if (!table) return undefined;
  const name = weights === 'DEFAULT' ? entry.defaultWeights : weights;
  if (name && Object.hasOwn(table, name)) return { count: table[name], exact: true, weights: `\`${name}\` weights` };
  const counts = [...new Set(Object.values(table))];
  return { count: Math.min(...counts), exact: counts.length === 1, weights: 'ImageNet weights' };
}

/** A boolean keyword: its value, true when present but unresolved (with a note), undefined when absent. */
function flag(file: PythonFile, call: Node, keyword: string, notes: string[]): boolean | undefined {
  const node = file.keywordArgument(call, keyword);
  if (!node) return undefined;
  const value = file.evaluate(node);
  if (value) return value.value === true;
  notes.push(`\`${keyword}=${node.text}\` does not resolve: taken as true`);
  return true;
}

function kerasCall(file: PythonFile, call: Node): ModelEstimate | undefined {
  const qualified = file.calleeName(call);
  if (!qualified || !onlyKeywords(file, call, KERAS_KEYWORDS)) return undefined;
  const parts = qualified.split('.');
  const applications = parts.indexOf('applications');
  const root = parts.slice(0, applications).join('.');
  if (applications < 1 || !['keras', 'tensorflow.keras', 'tf_keras'].includes(root)) return undefined;
  const tail = parts[parts.length - 1];
  const app = Object.hasOwn(KERAS_APPLICATIONS, tail) ? KERAS_APPLICATIONS[tail] : undefined;
  if (!app) return undefined;
  const notes: string[] = [];
  // Keras Applications load ImageNet weights unless told `weights=None`.
  const weightsNode = file.keywordArgument(call, 'weights');
  const weights = weightsNode && file.evaluate(weightsNode);
  const pretrained = !weightsNode ? true : weights ? weights.value !== null : weightsNode.type !== 'none';
  if (!weightsNode) notes.push('no `weights=`: Keras loads the ImageNet weights by default');
  const head = app.features + 1;
  const noTop = app.noTop ?? app.parameters - 1000 * head;
  const includeNode = file.positionalArguments(call)[0] ?? file.keywordArgument(call, 'include_top');
  const include = includeNode ? file.evaluate(includeNode)?.value : true;
  const classesNode = file.keywordArgument(call, 'classes');
  const classes = classesNode ? file.evaluate(classesNode)?.value : 1000;
  let parameters: ModelEstimate['parameters'];
  if (include === false) {
    parameters = { count: noTop, exact: true };
    notes.push(`${noTop.toLocaleString('en-US')} parameters without the classifier (\`include_top=False\`)`);
  } else if (include === true && typeof classes === 'number' && Number.isInteger(classes) && classes >= 1 && classes <= MAX_CLASSES) {
    parameters = { count: app.parameters - 1000 * head + classes * head, exact: true };
    notes.push(classes === 1000 ? `${app.parameters.toLocaleString('en-US')} parameters with the 1000-class top` : `${classes.toLocaleString('en-US')}-class top of ${app.features.toLocaleString('en-US')} features: ${parameters.count.toLocaleString('en-US')} parameters`);
  } else {
    parameters = { count: noTop, exact: false };
    notes.push(`\`include_top\`/\`classes\` do not resolve: at least ${noTop.toLocaleString('en-US')} parameters without the classifier`);
  }
  notes.push(`source: ${KERAS_APPLICATIONS_SOURCE}`);
  return { range: file.range(call), name: `keras.applications.${tail}`, framework: 'keras', parameters, pretrained, notes };
}

function hubCall(file: PythonFile, call: Node): ModelEstimate | undefined {
  if (file.calleeTail(call) !== 'from_pretrained') return undefined;
  const qualified = file.calleeName(call);
  if (!qualified?.startsWith('transformers.')) return undefined;
  const cls = qualified.split('.').at(-2) ?? '';
  const id = file.evaluate(file.positionalArguments(call)[0] ?? file.keywordArgument(call, 'pretrained_model_name_or_path'))?.value;
  const hub = typeof id === 'string' ? hubModel(id) : undefined;
  if (!hub) return undefined;
  const base = cls === 'AutoModel' || HUB_FAMILIES.some((family) => cls === `${family}Model`);
  const head = cls.startsWith('AutoModelFor') || HUB_FAMILIES.some((family) => cls.startsWith(`${family}For`) || cls === `${family}LMHeadModel`);
  if (!base && !head) return undefined;
  const { parameters, pooler = 0, source } = hub.model;
  const notes = [
    base
      ? `${parameters.toLocaleString('en-US')} parameters in the \`${hub.id}\` base model (${source})`
      : `at least ${(parameters - pooler).toLocaleString('en-US')}: the \`${hub.id}\` encoder${pooler ? ' without its pooler' : ''} (${source}); \`${cls}\` adds a task head`,
  ];
  return {
    range: file.range(call),
    name: `${cls} ${hub.id}`,
    framework: 'pytorch',
    parameters: base ? { count: parameters, exact: true } : { count: parameters - pooler, exact: false },
    pretrained: true,
    notes,
  };
}
