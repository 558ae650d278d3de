import '@vscode-elements/elements/dist/vscode-tree/index.js';
import '@vscode-elements/elements/dist/vscode-tree-item/index.js';
import type { ModuleNode } from '../../src/protocol/model-report';
import { custom, h } from '../shared/dom';
import { count, shortCount } from '../shared/format';

/**
 * The module tree: modules (tensor-name prefixes) with their sizes. Children are created when a
 * module is first opened, so a model with thousands of modules costs only what is shown; chains of
 * single submodules ("state_dict" → "model") show as one item, as VS Code's explorer compacts folders.
 */
export class ModuleTree {
  readonly element: HTMLElement;
  private readonly nodes = new Map<HTMLElement, ModuleNode>();
  private count = 0;

  constructor(
    root: ModuleNode,
    private readonly onSelect: (module: ModuleNode) => void,
  ) {
    this.element = custom('vscode-tree', { 'aria-label': 'Modules', 'indent-guides': 'onHover' });
    this.element.appendChild(this.item(root, 'All tensors'));
    const top = this.element.firstElementChild as HTMLElement & { open: boolean };
    top.open = true;
    this.populate(top);
    new MutationObserver((mutations) => {
      for (const m of mutations) if (m.attributeName === 'open' && m.target instanceof HTMLElement && m.target.hasAttribute('open')) this.populate(m.target);
    }).observe(this.element, { attributes: true, subtree: true, attributeFilter: ['open'] });
    this.element.addEventListener('vsc-tree-select', (event) => {
      // The event's detail is the selected items (2.5's typings describe { selectedItems }; accept both).
      const detail = (event as CustomEvent<HTMLElement[] | { selectedItems?: HTMLElement[] }>).detail;
      const [selected] = Array.isArray(detail) ? detail : (detail?.selectedItems ?? []);
      const node = selected && this.nodes.get(selected);
      if (node) this.onSelect(node);
    });
  }

  /** Tree items created so far (the integration tests and the "rendered" report count them). */
  get itemCount(): number {
    return this.count;
  }

  private item(node: ModuleNode, label?: string): HTMLElement {
    let shown = node;
    let name = label ?? node.name;
    while (!label && shown.children.length === 1 && shown.tensors.length === 0) {
      shown = shown.children[0];
      name = `${name}.${shown.name}`;
    }
    const tensors = `${count(shown.tensorCount)} tensor${shown.tensorCount === 1 ? '' : 's'}`;
    const description = `${shortCount(shown.parameters)} params · ${tensors}`;
    const item = custom('vscode-tree-item', { 'data-module': shown.path, title: `${shown.path || 'model'}: ${count(shown.parameters)} trained parameters in ${tensors}` }, name, h('span', { slot: 'description' }, description));
    this.nodes.set(item, shown);
    this.count += 1;
    // A placeholder child makes the item a branch before its children exist.
    if (shown.children.length > 0) item.appendChild(custom('vscode-tree-item', { 'data-placeholder': 'true' }, 'Loading…'));
    return item;
  }

  private populate(item: HTMLElement): void {
    const placeholder = item.querySelector(':scope > vscode-tree-item[data-placeholder]');
    const node = this.nodes.get(item);
    if (!placeholder || !node) return;
    placeholder.remove();
    for (const child of node.children) item.appendChild(this.item(child));
  }
}
