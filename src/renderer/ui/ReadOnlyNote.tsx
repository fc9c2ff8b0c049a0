/**
 * On a read-only connection the server refuses every change: screens offer their changing actions
 * as unavailable (still focusable, each described by this note through `id`), and this says why
 * and what to do about it.
 */
export function ReadOnlyNote({ id, name }: { id: string; name: string | null }) {
  return (
    <p id={id} className="field-hint">
      {name ? `“${name}”` : 'This connection'} is read-only: Simple DB does not change its data. Edit the connection to allow changes.
    </p>
  );
}
