/** A place in a Keras model config that makes loading it run or import arbitrary code. */
export interface UnsafeKerasConfig {
  /** JSON path, e.g. `config.layers[2]`. */
  where: string;
  what: string;
}

const MAX_DEPTH = 64;
const KERAS_MODULES = /^(keras|tf_keras|tensorflow)(\.|$)/;

/**
 * Lambda layers carry marshalled Python bytecode that `load_model` runs; config entries naming a
 * `module` outside Keras make Keras import it and call what it names (the pattern of CVE-2025-1550,
 * fixed by safe_mode in Keras 3.9). Both are reported; nothing is deserialised to find them.
 */
export function unsafeKerasConfig(config: unknown): UnsafeKerasConfig[] {
  const found: UnsafeKerasConfig[] = [];
  const visit = (value: unknown, where: string, depth: number): void => {
    if (depth > MAX_DEPTH || found.length > 100 || typeof value !== 'object' || value === null) return;
    if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, `${where}[${i}]`, depth + 1));
      return;
    }
    const record = value as Record<string, unknown>;
    const layerName = typeof (record.config as Record<string, unknown> | undefined)?.name === 'string' ? ` '${(record.config as Record<string, unknown>).name}'` : '';
    if (record.class_name === 'Lambda') found.push({ where, what: `Lambda layer${layerName} (marshalled Python bytecode, run on load)` });
    if (typeof record.module === 'string' && !KERAS_MODULES.test(record.module)) {
      const name = typeof record.class_name === 'string' ? record.class_name : typeof record.registered_name === 'string' ? record.registered_name : '?';
      found.push({ where, what: `${record.module}.${name} (a module outside Keras, imported and called on load)` });
    }
    for (const [key, child] of Object.entries(record)) visit(child, `${where}.${key}`, depth + 1);
  };
  visit(config, 'config', 0);
  return found;
}
