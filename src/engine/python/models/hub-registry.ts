/**
 * Parameter counts of popular Hugging Face Hub checkpoints, for `from_pretrained("id")`.
 *
 * Each count is the base model (`AutoModel` / `BertModel`, …) computed from the checkpoint's published
 * `config.json` (vocabulary, width, depth, feed-forward size, positions) with the architecture's
 * layer shapes, and agrees with the rounded size on the model card or in the paper cited beside it.
 * Example, bert-base-uncased: embeddings (30,522 + 512 + 2) × 768 + LayerNorm 1,536; 12 layers of
 * 7,087,872 (Q, K, V, output 4 × (768² + 768), feed-forward 768 × 3,072 + 3,072 + 3,072 × 768 + 768,
 * two LayerNorms); pooler 768² + 768: 109,482,240 ("110M" in Devlin et al. 2019, section 3).
 * Tied input/output embeddings count once, as `model.num_parameters()` does.
 */
export interface HubModel {
  /** Base model parameters (`AutoModel`). */
  parameters: number;
  /**
   * The pooler's parameters: task heads that drop it (`BertForTokenClassification`, `ViTForImageClassification`)
   * have at least `parameters - pooler`.
   */
  pooler?: number;
  /** The public figure the count agrees with. */
  source: string;
}

const BERT = 'Devlin et al. 2019, "BERT", section 3 (BERT-base 110M, BERT-large 340M)';

export const HUB_MODELS: Readonly<Record<string, HubModel>> = {
  'bert-base-uncased': { parameters: 109_482_240, pooler: 590_592, source: BERT },
  'bert-base-cased': { parameters: 108_310_272, pooler: 590_592, source: BERT },
  'bert-large-uncased': { parameters: 335_141_888, pooler: 1_049_600, source: BERT },
  'distilbert-base-uncased': { parameters: 66_362_880, source: 'Sanh et al. 2019, "DistilBERT" (66M); distilbert-base-uncased model card' },
  'roberta-base': { parameters: 124_645_632, pooler: 590_592, source: 'Liu et al. 2019, "RoBERTa"; roberta-base model card (125M)' },
  'roberta-large': { parameters: 355_359_744, pooler: 1_049_600, source: 'Liu et al. 2019, "RoBERTa"; roberta-large model card (355M)' },
  gpt2: { parameters: 124_439_808, source: 'Radford et al. 2019, GPT-2; gpt2 model card (124M)' },
  'gpt2-medium': { parameters: 354_823_168, source: 'Radford et al. 2019, GPT-2; gpt2-medium model card (355M)' },
  'gpt2-large': { parameters: 774_030_080, source: 'Radford et al. 2019, GPT-2; gpt2-large model card (774M)' },
  't5-small': { parameters: 60_506_624, source: 'Raffel et al. 2020, "T5"; t5-small model card (60M)' },
  't5-base': { parameters: 222_903_552, source: 'Raffel et al. 2020, "T5"; t5-base model card (220M)' },
  'google/vit-base-patch16-224': { parameters: 86_389_248, pooler: 590_592, source: 'Dosovitskiy et al. 2021, "ViT" (ViT-Base 86M); google/vit-base-patch16-224 model card' },
};

/** Organisation-prefixed names the Hub redirects to the same checkpoints. */
const ALIASES: Readonly<Record<string, string>> = {
  'google-bert/bert-base-uncased': 'bert-base-uncased',
  'google-bert/bert-base-cased': 'bert-base-cased',
  'google-bert/bert-large-uncased': 'bert-large-uncased',
  'distilbert/distilbert-base-uncased': 'distilbert-base-uncased',
  'FacebookAI/roberta-base': 'roberta-base',
  'FacebookAI/roberta-large': 'roberta-large',
  'openai-community/gpt2': 'gpt2',
  'openai-community/gpt2-medium': 'gpt2-medium',
  'openai-community/gpt2-large': 'gpt2-large',
  'google-t5/t5-small': 't5-small',
  'google-t5/t5-base': 't5-base',
};

export function hubModel(id: string): { id: string; model: HubModel } | undefined {
  const key = ALIASES[id] ?? id;
  const model = Object.hasOwn(HUB_MODELS, key) ? HUB_MODELS[key] : undefined;
  return model ? { id: key, model } : undefined;
}
