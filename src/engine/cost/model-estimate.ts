import type { Range } from '../finding';

/**
 * A model a training script builds, as worked out from the code without running it: the rules
 * (`high-param-count`, `tiny-dataset`), the cost code lens and the CLI's facts all read this.
 * When only part of the model resolves, `parameters.exact` is false and the count is a lower bound
 * ("at least N"); when nothing useful resolves there is no estimate at all, never a guess.
 */
export interface ModelEstimate {
  /** The expression that builds the model (`Net()`, `nn.Sequential(...)`, `keras.Model(...)`). */
  range: Range;
  /** What is built, as the user would name it: `Net`, `torchvision.models.resnet18`, `Sequential`. */
  name: string;
  framework: 'pytorch' | 'keras' | 'tfjs';
  parameters: { count: number; exact: boolean };
  /** Parameters that train, when the script freezes part of the model and that resolves. */
  trainableParameters?: number;
  /** Multiply-accumulates for one sample at `inputShape` (batch dimension excluded), when known. */
  macsPerSample?: number;
  /** Shape of one input sample (no batch dimension), channels-first for PyTorch. */
  inputShape?: number[];
  /** Starts from pretrained weights (`pretrained=True`, `weights=...`, `from_pretrained`). */
  pretrained: boolean;
  /** The script freezes the model or part of it (`requires_grad = False`, `trainable = False`). */
  frozen?: boolean;
  /** Where the numbers came from and what was assumed, one line each, for hovers and JSON output. */
  notes: string[];
}
