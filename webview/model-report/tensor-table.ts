import { h } from '../shared/dom';
import { count, percent, shape, stat } from '../shared/format';
import type { TensorRow } from './tensor-rows';

interface Column {
  id: string;
  title: string;
  /** Tooltip of the column header. */
  description: string;
  numeric: boolean;
  text(row: TensorRow): string;
  /** Sort key; rows without a value sort last in either direction. */
  value(row: TensorRow): number | string | undefined;
}

const stats = (pick: (s: NonNullable<TensorRow['stats']>) => number, format: (x: number) => string = stat) => ({
  numeric: true,
  text: (row: TensorRow) => (row.stats && row.stats.count + row.stats.nan + row.stats.inf > 0 ? format(pick(row.stats)) : '—'),
  value: (row: TensorRow) => (row.stats ? pick(row.stats) : undefined),
});

const COLUMNS: Column[] = [
  { id: 'name', title: 'Name', description: 'Tensor name as stored in the file', numeric: false, text: (r) => r.name, value: (r) => r.name },
  { id: 'shape', title: 'Shape', description: 'Dimensions', numeric: false, text: (r) => shape(r.shape), value: (r) => r.shape.length },
  { id: 'dtype', title: 'Dtype', description: 'Element type', numeric: false, text: (r) => r.dtype, value: (r) => r.dtype },
  { id: 'numel', title: 'Elements', description: 'Number of elements', numeric: true, text: (r) => count(r.numel), value: (r) => r.numel },
  { id: 'role', title: 'Role', description: 'parameter: trained weights and biases; statistic: updated but not trained (BatchNorm running statistics); integer: ids, masks, counters', numeric: false, text: (r) => r.role, value: (r) => r.role },
  { id: 'min', title: 'Min', description: 'Smallest finite value', ...stats((s) => s.min) },
  { id: 'max', title: 'Max', description: 'Largest finite value', ...stats((s) => s.max) },
  { id: 'mean', title: 'Mean', description: 'Mean of the finite values', ...stats((s) => s.mean) },
  { id: 'std', title: 'Std', description: 'Standard deviation of the finite values', ...stats((s) => s.std) },
  { id: 'zeros', title: 'Zeros', description: 'Fraction of values that are exactly zero', ...stats((s) => s.zeroFraction, percent) },
  { id: 'nonfinite', title: 'NaN / inf', description: 'Values that are NaN or infinite', ...stats((s) => s.nan + s.inf, (x) => count(x)) },
];

const ROW_HEIGHT = 22;
/** Rows rendered beyond the visible ones, so fast scrolling does not show gaps. */
const OVERSCAN = 8;

export interface TableSort {
  column: string;
  descending: boolean;
}

/**
 * The tensor table: an ARIA grid that renders only the rows in view (a model can hold 100,000
 * tensors), sortable by any column from its header button, with keyboard navigation of the rows
 * (arrows, Page Up/Down, Home/End) through aria-activedescendant.
 */
export class TensorTable {
  readonly element: HTMLElement;
  private readonly viewport: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly headers = new Map<string, HTMLElement>();
  private readonly pool: HTMLElement[] = [];
  private rows: TensorRow[] = [];
  private sorted: TensorRow[] = [];
  private active = -1;
  private frame = 0;

  constructor(
    private sort: TableSort,
    private readonly onSort: (sort: TableSort) => void,
  ) {
    const header = h('div', { class: 'grid-row grid-header', role: 'row', 'aria-rowindex': 1 });
    for (const column of COLUMNS) {
      const button = h('button', { class: 'sort', type: 'button', title: `${column.description}. Sort by ${column.title.toLowerCase()}` }, column.title);
      button.addEventListener('click', () => this.sortBy(column.id));
      const cell = h('div', { class: `cell ${column.numeric ? 'numeric' : ''} col-${column.id}`, role: 'columnheader' }, button);
      this.headers.set(column.id, cell);
      header.appendChild(cell);
    }
    this.spacer = h('div', { class: 'grid-spacer', role: 'rowgroup' });
    this.viewport = h('div', { class: 'grid-viewport', tabindex: 0, 'aria-label': 'Tensors (use the arrow keys to move between rows)' }, this.spacer);
    this.element = h('div', { class: 'grid', role: 'grid', 'aria-label': 'Tensors' }, h('div', { role: 'rowgroup' }, header), this.viewport);
    this.viewport.addEventListener('scroll', () => this.schedule());
    this.viewport.addEventListener('keydown', (event) => this.onKey(event));
    new ResizeObserver(() => this.schedule()).observe(this.viewport);
    this.updateHeaders();
  }

  /** Shows these rows (already filtered), in the current sort order. */
  setRows(rows: TensorRow[]): void {
    this.rows = rows;
    this.applySort();
    this.active = Math.min(this.active, this.sorted.length - 1);
    this.element.setAttribute('aria-rowcount', String(this.sorted.length + 1));
    this.spacer.style.height = `${this.sorted.length * ROW_HEIGHT}px`;
    this.render();
  }

  get rowCount(): number {
    return this.sorted.length;
  }

  private sortBy(column: string): void {
    this.sort = { column, descending: this.sort.column === column ? !this.sort.descending : COLUMNS.find((c) => c.id === column)!.numeric };
    this.onSort(this.sort);
    this.updateHeaders();
    this.applySort();
    this.render();
  }

  private applySort(): void {
    const column = COLUMNS.find((c) => c.id === this.sort.column) ?? COLUMNS[0];
    const direction = this.sort.descending ? -1 : 1;
    const collator = new Intl.Collator('en', { numeric: true });
    this.sorted = [...this.rows].sort((a, b) => {
      const x = column.value(a);
      const y = column.value(b);
      if (x === undefined || y === undefined) return x === y ? a.index - b.index : x === undefined ? 1 : -1;
      const order = typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(String(x), String(y));
      return order * direction || a.index - b.index;
    });
  }

  private updateHeaders(): void {
    for (const [id, cell] of this.headers) {
      cell.setAttribute('aria-sort', id === this.sort.column ? (this.sort.descending ? 'descending' : 'ascending') : 'none');
    }
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  /** Positions a pooled row element over each visible row; nothing else is in the DOM. */
  private render(): void {
    const height = this.viewport.clientHeight || ROW_HEIGHT * 20;
    const first = Math.max(0, Math.floor(this.viewport.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(this.sorted.length, Math.ceil((this.viewport.scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
    while (this.pool.length < last - first) {
      const row = h('div', { class: 'grid-row', role: 'row' }, ...COLUMNS.map((c) => h('div', { class: `cell ${c.numeric ? 'numeric' : ''} col-${c.id}`, role: 'gridcell' })));
      this.pool.push(row);
      this.spacer.appendChild(row);
    }
    this.pool.forEach((element, slot) => {
      const index = first + slot;
      const row = this.sorted[index];
      if (!row || index >= last) {
        element.hidden = true;
        element.removeAttribute('id');
        return;
      }
      element.hidden = false;
      element.id = `tensor-row-${index}`;
      element.style.transform = `translateY(${index * ROW_HEIGHT}px)`;
      element.setAttribute('aria-rowindex', String(index + 2));
      element.setAttribute('aria-selected', String(index === this.active));
      element.classList.toggle('active', index === this.active);
      element.classList.toggle('nonfinite', !!row.stats && row.stats.nan + row.stats.inf > 0);
      COLUMNS.forEach((column, c) => {
        const cell = element.children[c] as HTMLElement;
        const text = column.text(row);
        if (cell.textContent !== text) cell.textContent = text;
        if (column.id === 'name' || column.id === 'shape') cell.title = text;
      });
    });
    if (this.active >= 0) this.viewport.setAttribute('aria-activedescendant', `tensor-row-${this.active}`);
    else this.viewport.removeAttribute('aria-activedescendant');
  }

  private onKey(event: KeyboardEvent): void {
    const page = Math.max(1, Math.floor(this.viewport.clientHeight / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page, Home: -Infinity, End: Infinity };
    const move = moves[event.key];
    if (move === undefined || this.sorted.length === 0) return;
    event.preventDefault();
    this.active = Math.max(0, Math.min(this.sorted.length - 1, (this.active < 0 ? -1 : this.active) + move));
    const top = this.active * ROW_HEIGHT;
    if (top < this.viewport.scrollTop) this.viewport.scrollTop = top;
    else if (top + ROW_HEIGHT > this.viewport.scrollTop + this.viewport.clientHeight) this.viewport.scrollTop = top + ROW_HEIGHT - this.viewport.clientHeight;
    this.render();
  }
}
