import type { Node } from 'web-tree-sitter';
import type { PythonFile } from '../python-file';

/** Local base classes followed when looking for a method. */
const MAX_BASES = 4;

/** A class defined in this file, by name. */
export function localClass(file: PythonFile, name: string): Node | undefined {
  return file.nodesOfType('class_definition').find((c) => c.childForFieldName('name')?.text === name);
}

/** Whether a class of this file derives from Lightning's `LightningModule`, directly or through local classes. */
export function isLightningModule(file: PythonFile, cls: Node, depth = 0): boolean {
  if (depth > MAX_BASES) return false;
  for (const base of baseClasses(cls)) {
    if (/^(lightning|pytorch_lightning|lightning\.pytorch)(\.core(\.module|\.lightning)?)?\.LightningModule$/.test(file.qualifiedName(base) ?? '')) return true;
    const local = base.type === 'identifier' ? localClass(file, base.text) : undefined;
    if (local && local.startIndex !== cls.startIndex && isLightningModule(file, local, depth + 1)) return true;
  }
  return false;
}

/**
 * Whether a class defines a method, itself or through a base class of this file. Undefined when a base
 * DL Doctor cannot see (imported from elsewhere, other than LightningModule) might define it.
 */
export function definesMethod(file: PythonFile, cls: Node, method: string, depth = 0): boolean | undefined {
  if (depth > MAX_BASES) return undefined;
  const body = cls.childForFieldName('body');
  for (const statement of body?.namedChildren ?? []) {
    const fn = statement?.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
    if (fn?.type === 'function_definition' && fn.childForFieldName('name')?.text === method) return true;
  }
  for (const base of baseClasses(cls)) {
    if (/\.LightningModule$/.test(file.qualifiedName(base) ?? '')) continue;
    const local = base.type === 'identifier' ? localClass(file, base.text) : undefined;
    if (!local || local.startIndex === cls.startIndex) return undefined;
    const inherited = definesMethod(file, local, method, depth + 1);
    if (inherited !== false) return inherited;
  }
  return false;
}

function baseClasses(cls: Node): Node[] {
  const list = cls.childForFieldName('superclasses');
  return (list?.namedChildren ?? []).filter((n): n is Node => n !== null && n.type !== 'keyword_argument');
}
