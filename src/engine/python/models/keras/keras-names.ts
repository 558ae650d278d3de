/**
 * What a dotted name means to Keras, whichever way the script imported it: `tf.keras.layers.Dense`
 * (`import tensorflow as tf`), `keras.layers.Dense` (Keras 3), `layers.Dense` (`from tensorflow.keras
 * import layers`), `Dense` (`from tensorflow.keras.layers import Dense`) all arrive here as a dotted
 * name the semantic layer resolved.
 */
export type KerasRole =
  | { role: 'layer'; className: string }
  | { role: 'merge'; className: string }
  | { role: 'sequential' }
  | { role: 'model' }
  | { role: 'input' }
  | { role: 'layer-base' }
  | { role: 'application'; name: string };

/** Packages that hold the Keras API: TF 2's tf.keras, standalone Keras 2/3, tf-keras. */
const ROOTS = ['tensorflow.keras.', 'tensorflow.python.keras.', 'tf_keras.', 'keras.src.', 'keras.'];

/** `layers.concatenate([a, b])` and friends: functional forms of the merge layers. */
const MERGE_FUNCTIONS: Record<string, string> = {
  concatenate: 'Concatenate',
  add: 'Add',
  subtract: 'Subtract',
  multiply: 'Multiply',
  average: 'Average',
  maximum: 'Maximum',
  minimum: 'Minimum',
};

export function kerasRole(qualified: string): KerasRole | undefined {
  const root = ROOTS.find((r) => qualified.startsWith(r));
  if (!root) return undefined;
  const parts = qualified.slice(root.length).split('.');
  const last = parts[parts.length - 1];
  const head = parts[0];
  if (parts.length === 1 || (parts.length === 2 && head === 'models')) {
    if (last === 'Sequential') return { role: 'sequential' };
    if (last === 'Model') return { role: 'model' };
  }
  if (last === 'Input' && (parts.length === 1 || head === 'layers')) return { role: 'input' };
  if (head === 'applications' && parts.length >= 2 && /^[A-Z]/.test(last)) return { role: 'application', name: `keras.${parts.join('.')}` };
  if (head === 'layers' && parts.length >= 2) {
    if (last === 'Layer') return { role: 'layer-base' };
    if (Object.hasOwn(MERGE_FUNCTIONS, last)) return { role: 'merge', className: MERGE_FUNCTIONS[last] };
    if (/^[A-Z]/.test(last)) return { role: 'layer', className: last };
  }
  return undefined;
}
