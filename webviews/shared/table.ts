/** A sortable HTML table that can copy itself as CSV. */
import { button } from './controls';
import { columnFormat } from '../../src/shared/format';
import { h, replaceChildren } from './dom';
import type { PanelShell } from './panel';

/** One column: how to read, format and sort its cells. */
export interface TableColumn<Row> {
  key: string;
  title: string;
  /** The raw value: numbers sort numerically, strings by locale. */
  value: (row: Row) => string | number | undefined;
  /** Text shown in the cell; the raw value when absent. */
  format?: (row: Row) => string;
  /** The cell's tooltip (the numbers behind a word, say). */
  tooltip?: (row: Row) => string | undefined;
  numeric?: boolean;
  /**
   * A column of scores: 3 significant digits in one notation for the whole column (`columnFormat`). A column
   * key instead of `true` takes that column's notation (std, min and max read like the mean).
   */
  score?: true | string;
}

/** Sort order of a table, kept in the panel state. */
export interface TableSort {
  key: string;
  descending: boolean;
}

/** The summary of fold scores a table shows, one column each. */
export type ScoreKey = 'mean' | 'std' | 'min' | 'max';

/** Mean, std, min and max columns of fold scores, std, min and max in the mean's notation. */
export function scoreColumns<Row>(
  value: (row: Row, key: ScoreKey) => number | undefined,
): Array<TableColumn<Row>> {
  const titles: Record<ScoreKey, string> = { mean: 'Mean', std: 'Std', min: 'Min', max: 'Max' };
  return (['mean', 'std', 'min', 'max'] as const).map((key) => ({
    key,
    title: titles[key],
    value: (row: Row) => value(row, key),
    score: key === 'mean' ? true : 'mean',
    numeric: true,
  }));
}

/** Quotes a CSV field when needed (RFC 4180). */
export function csvField(value: string | number | undefined): string {
  const text =
    value === undefined || (typeof value === 'number' && !Number.isFinite(value)) ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A table with clickable headers for sorting and a "Copy CSV" button. */
export class SortableTable<Row> {
  /** The card holding the table. */
  readonly element: HTMLElement;
  private readonly body = h('tbody');
  private readonly headRow = h('tr');
  private rows: Row[] = [];

  constructor(
    private readonly shell: PanelShell<unknown>,
    title: string,
    private readonly columns: Array<TableColumn<Row>>,
    private sort: TableSort | undefined,
    private readonly options: {
      name: string;
      onSort?: (sort: TableSort) => void;
      onRowClick?: (row: Row) => void;
      rowClass?: (row: Row) => string;
    },
  ) {
    this.element = h(
      'section',
      { class: 'card table-card' },
      h(
        'header',
        {},
        h('h2', {}, title),
        button('Copy CSV', () => this.copy(title), { secondary: true, name: 'copy-csv' }),
      ),
      h(
        'div',
        { class: 'table-scroll' },
        h('table', { 'data-table': options.name }, h('thead', {}, this.headRow), this.body),
      ),
    );
    this.renderHead();
  }

  /** Replaces the rows and redraws in the current order. */
  setRows(rows: Row[]): void {
    this.rows = rows;
    this.renderBody();
  }

  /** Sorts by a column; clicking the same header again flips the order. */
  sortBy(key: string): void {
    const descending = this.sort?.key === key ? !this.sort.descending : false;
    this.sort = { key, descending };
    this.options.onSort?.(this.sort);
    this.renderHead();
    this.renderBody();
  }

  /** The rows in display order. */
  sortedRows(): Row[] {
    const sort = this.sort;
    const column = sort && this.columns.find((candidate) => candidate.key === sort.key);
    if (!sort || !column) return this.rows;
    const direction = sort.descending ? -1 : 1;
    return [...this.rows].sort((left, right) => {
      const a = column.value(left);
      const b = column.value(right);
      if (a === undefined || (typeof a === 'number' && Number.isNaN(a))) return 1;
      if (b === undefined || (typeof b === 'number' && Number.isNaN(b))) return -1;
      if (typeof a === 'number' && typeof b === 'number') return (a - b) * direction;
      return String(a).localeCompare(String(b), undefined, { numeric: true }) * direction;
    });
  }

  /** The table as CSV (raw values, header first, display order). */
  toCsv(): string {
    const lines = [this.columns.map((column) => csvField(column.title)).join(',')];
    for (const row of this.sortedRows()) {
      lines.push(this.columns.map((column) => csvField(column.value(row))).join(','));
    }
    return `${lines.join('\n')}\n`;
  }

  private copy(title: string): void {
    this.shell.post({ type: 'panel/copyText', text: this.toCsv(), what: title });
  }

  private renderHead(): void {
    replaceChildren(
      this.headRow,
      ...this.columns.map((column) => {
        const sorted = this.sort?.key === column.key;
        const arrow = sorted ? (this.sort?.descending ? ' ▼' : ' ▲') : '';
        return h(
          'th',
          {
            class: column.numeric ? 'numeric' : undefined,
            'data-key': column.key,
            'aria-sort': sorted ? (this.sort?.descending ? 'descending' : 'ascending') : 'none',
            tabindex: 0,
            onclick: () => this.sortBy(column.key),
            onkeydown: (event: Event) => {
              if ((event as KeyboardEvent).key === 'Enter') this.sortBy(column.key);
            },
          },
          column.title + arrow,
        );
      }),
    );
  }

  /** How each cell of a column reads: its own format, a score column's shared notation, or its raw value. */
  private cellFormats(): Array<(row: Row) => string> {
    const notation = new Map<string, (value: number | undefined) => string>();
    const scoreFormat = (key: string) => {
      const known = notation.get(key);
      if (known) return known;
      // The notation comes from every column that shares it (mean with its std, min and max): whole-number means
      // must not leave a std of 1.4142135623730951 unformatted.
      const group = this.columns.filter(
        (candidate) => candidate.key === key || (candidate.score !== true && candidate.score === key),
      );
      const values = group.flatMap((column) =>
        this.rows
          .map((row) => column.value(row))
          .map((value) => (typeof value === 'number' ? value : undefined)),
      );
      const format = columnFormat(values);
      notation.set(key, format);
      return format;
    };
    return this.columns.map((column) => {
      if (column.format) return column.format;
      if (column.score) {
        const format = scoreFormat(column.score === true ? column.key : column.score);
        return (row: Row) => {
          const value = column.value(row);
          return typeof value === 'number' ? format(value) : String(value ?? '—');
        };
      }
      return (row: Row) => String(column.value(row) ?? '—');
    });
  }

  private renderBody(): void {
    const formats = this.cellFormats();
    replaceChildren(
      this.body,
      ...this.sortedRows().map((row) =>
        h(
          'tr',
          {
            class: [this.options.rowClass?.(row), this.options.onRowClick ? 'clickable' : undefined]
              .filter(Boolean)
              .join(' '),
            onclick: this.options.onRowClick ? () => this.options.onRowClick?.(row) : undefined,
          },
          ...this.columns.map((column, index) =>
            h(
              'td',
              {
                class: column.numeric ? 'numeric' : undefined,
                'data-key': column.key,
                title: column.tooltip?.(row),
              },
              formats[index](row),
            ),
          ),
        ),
      ),
    );
  }
}
