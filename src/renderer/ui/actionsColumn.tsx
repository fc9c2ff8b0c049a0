import type { DataTableColumn } from './DataTable';
import { GuardedButton } from './GuardedButton';

export interface RowAction<Row> {
  /** The button's text ("Edit"); its accessible name adds the row ("Edit ann@example.com"). */
  label: string;
  run: (row: Row) => void;
  tone?: 'danger';
  /** Its accessible name, when "label row" does not read well ("Products of ann@example.com"). */
  name?: (rowName: string) => string;
  /** Changes nothing (it only shows more): offered on a read-only connection too. */
  readsOnly?: boolean;
}

interface ActionsColumnOptions<Row> {
  className: string;
  /** How the row is named in each button's accessible name ("ann@example.com", "product #12"). */
  rowName: (row: Row) => string;
  /**
   * Set on a read-only connection: the buttons that change something stay in the row but do
   * nothing; the id is the note on screen that says why.
   */
  readOnlyReasonId?: string | undefined;
}

/** A column of row buttons (Edit, Delete…), each named with its row and aware of a read-only connection. */
export function actionsColumn<Row, Sort extends string>(
  actions: readonly RowAction<Row>[],
  { className, rowName, readOnlyReasonId }: ActionsColumnOptions<Row>,
): DataTableColumn<Row, Sort> {
  return {
    id: 'actions',
    header: 'Actions',
    className,
    cell: (row) => (
      <>
        {actions.map((action) => (
          <GuardedButton
            key={action.label}
            className={action.tone === 'danger' ? 'button button-small button-danger-quiet' : 'button button-small'}
            aria-label={action.name ? action.name(rowName(row)) : `${action.label} ${rowName(row)}`}
            unavailableReasonId={action.readsOnly ? undefined : readOnlyReasonId}
            onClick={() => action.run(row)}
          >
            {action.label}
          </GuardedButton>
        ))}
      </>
    ),
  };
}
