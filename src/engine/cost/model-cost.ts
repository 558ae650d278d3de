import type { ScriptFacts } from '../python/models/script-facts';
import { DEFAULT_GPU, DEFAULT_GRID_INTENSITY, GPUS, type GpuId } from './gpus';
import type { ModelEstimate } from './model-estimate';
import { approx, formatKg, formatKWh, formatMacs, trainingEnergy } from './training-energy';
import { formatCount, formatGB, trainingMemory } from './training-memory';

export interface CostSettings {
  gpu: GpuId;
  /** gCO2e per kWh. */
  gridIntensity: number;
}

export const DEFAULT_COST_SETTINGS: CostSettings = { gpu: DEFAULT_GPU, gridIntensity: DEFAULT_GRID_INTENSITY };

export interface ModelCost {
  /** One line for a code lens: "≈11.7M params · 1.82 GMAC/sample · train mem ≈ 187 MB (AdamW, fp32, excl. activations) · …". */
  summary: string;
  /** Every number's source and every assumption, one markdown line each (the hover). */
  details: string[];
  kWh?: number;
  kgCO2e?: number;
}

/**
 * What a model the script builds costs, saying less when a number is unknown: parameters and training
 * memory always; MACs when known at the size the script's data has (or with no data to compare); energy
 * and CO2e only when MACs, the training set size and the epoch count all resolve.
 */
export function modelCost(model: ModelEstimate, facts: ScriptFacts, settings: CostSettings = DEFAULT_COST_SETTINGS): ModelCost {
  const n = model.parameters.count;
  const memory = trainingMemory(n);
  const parts = [`${model.parameters.exact ? '≈' : '≥'}${formatCount(n)} params`];
  const details = [
    `**${model.name}**: ${model.parameters.exact ? '' : 'at least '}${n.toLocaleString('en-US')} parameters${model.pretrained ? ', pretrained weights' : ', trained from scratch'}${model.frozen ? ', (partly) frozen' : ''}`,
    ...model.notes,
  ];
  const data = facts.datasets.find((d) => d.trainSamples !== undefined && d.trainSamples > 0);
  const shapeMismatch = model.inputShape && data?.inputShape && !sameSize(model.inputShape, data.inputShape);
  const macs = model.macsPerSample !== undefined && !shapeMismatch ? model.macsPerSample : undefined;
  if (macs !== undefined) parts.push(`${formatMacs(macs)}/sample`);
  else if (model.macsPerSample !== undefined && shapeMismatch) {
    details.push(`MACs are known at ${model.inputShape!.join('×')}, not at the data's ${data!.inputShape!.join('×')}: left out`);
  }
  parts.push(`train mem ${model.parameters.exact ? '≈' : '≥'} ${formatGB(memory.adamBytes)} (AdamW, fp32, excl. activations)`);
  details.push(`training memory: ${n.toLocaleString('en-US')} × 16 B (fp32 weights, gradients, AdamW's two moments; Rajbhandari et al. 2020) ≈ ${formatGB(memory.adamBytes)}; activations depend on batch size and are not included`);
  const epochs = facts.training?.epochs;
  const samples = data?.trainSamples;
  let kWh: number | undefined;
  let kgCO2e: number | undefined;
  if (macs !== undefined && samples !== undefined && epochs !== undefined && model.parameters.exact) {
    const energy = trainingEnergy({ macsPerSample: macs, samples, epochs, gpu: settings.gpu, gridIntensity: settings.gridIntensity });
    kWh = energy.kWh;
    kgCO2e = energy.kgCO2e;
    parts.push(`${approx(formatKWh(energy.kWh))}, ${approx(formatKg(energy.kgCO2e))} for ${epochs.toLocaleString('en-US')} epochs of ${samples.toLocaleString('en-US')} samples on ${settings.gpu}`);
    details.push(`data: ${data!.name}, ${samples.toLocaleString('en-US')} training samples; epochs: ${epochs} from ${facts.training!.via}`, ...energy.assumptions, `GPU: \`dlDoctor.cost.gpu\` = ${GPUS[settings.gpu].name}`);
  } else {
    const missing = [
      ...(macs === undefined ? ['MACs per sample'] : []),
      ...(samples === undefined ? ['the training set size'] : []),
      ...(epochs === undefined ? ['the number of epochs'] : []),
      ...(!model.parameters.exact ? ['an exact parameter count'] : []),
    ];
    details.push(`no energy estimate: ${missing.join(', ')} ${missing.length === 1 ? 'does' : 'do'} not resolve`);
  }
  return { summary: parts.join(' · '), details, ...(kWh !== undefined ? { kWh, kgCO2e } : {}) };
}

/** Same spatial size, whatever the channel order (PyTorch channels-first, Keras channels-last). */
function sameSize(a: number[], b: number[]): boolean {
  const key = (s: number[]) => [...s].sort((x, y) => x - y).join('×');
  return a.length === b.length && key(a) === key(b);
}
