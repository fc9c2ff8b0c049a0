import type { ReactNode, Ref } from 'react';

export type SortDirection = 'asc' | 'desc';

export interface DataTableColumn<Row, SortKey extends string = string> {
  id: string;
  /** Usually the column's name; a control (a "select the page" box) for a column without one. */
  header: ReactNode;
  /** Set to make the header a button that sorts by this key. */
  sortKey?: SortKey;
  /**
   * Class for the column (on its <col>, header and cells). Widths live in the stylesheet: the
   * table is `table-layout: fixed`, so columns keep their width from page to page.
   */
  className: string;
  cell: (row: Row) => ReactNode;
}

interface DataTableProps<Row, SortKey extends string> {
  /** The table's accessible name. */
  label: string;
  columns: readonly DataTableColumn<Row, SortKey>[];
  rows: readonly Row[];
  rowKey: (row: Row) => string | number;
  sort?: { key: SortKey; direction: SortDirection } | null;
  onSort?: (key: SortKey) => void;
  /** A row to mark (just created or edited), by its key. */
  highlightKey?: string | number | null;
  /** While a page loads: aria-busy, and the rows are dimmed. */
  busy?: boolean;
  /** Focusable wrapper, so focus has somewhere sensible to land when a row disappears. */
  regionRef?: Ref<HTMLDivElement>;
}

const ARIA_SORT = { asc: 'ascending', desc: 'descending' } as const;

/**
 * A table driven by a columns config: fixed column widths, sticky headers, sortable headers with
 * aria-sort on the <th> (the arrow is decoration, so a button's name stays just the label).
 * Cells render React nodes, so database text is always text, never markup.
 */
export function DataTable<Row, SortKey extends string>({
  label,
  columns,
  rows,
  rowKey,
  sort,
  onSort,
  highlightKey,
  busy = false,
  regionRef,
}: DataTableProps<Row, SortKey>) {
  return (
    <div className="table-wrap" ref={regionRef} tabIndex={-1}>
      <table className="data-table" aria-label={label} aria-busy={busy || undefined}>
        <colgroup>
          {columns.map((column) => (
            <col key={column.id} className={column.className} />
          ))}
        </colgroup>
        <thead>
          <tr>
            {columns.map((column) => {
              const sortKey = column.sortKey;
              if (sortKey === undefined || !onSort) {
                return (
                  <th key={column.id} scope="col" className={column.className}>
                    {column.header}
                  </th>
                );
              }
              const active = sort?.key === sortKey;
              return (
                <th
                  key={column.id}
                  scope="col"
                  aria-sort={active && sort ? ARIA_SORT[sort.direction] : 'none'}
                  className={active ? `${column.className} sorted` : column.className}
                >
                  <button type="button" className="sort-button" onClick={() => onSort(sortKey)}>
                    {column.header}
                    <span aria-hidden="true" className="sort-indicator">
                      {active && sort ? (sort.direction === 'asc' ? '▲' : '▼') : '↕'}
                    </span>
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const key = rowKey(row);
            return (
              <tr key={key} className={key === highlightKey ? 'highlight' : undefined}>
                {columns.map((column) => (
                  <td key={column.id} className={column.className}>
                    {column.cell(row)}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/**
 * Text that may be longer than its column: one line with an ellipsis, the whole of it on hover
 * (title) and on keyboard focus (it widens over its neighbours). Never broken mid-word.
 */
export function TruncatedText({ text }: { text: string }) {
  return (
    <span className="truncate" tabIndex={0} title={text}>
      {text}
    </span>
  );
}
