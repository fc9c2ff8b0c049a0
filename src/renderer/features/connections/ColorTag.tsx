import type { ConnectionColor } from '../../../shared/contract';
import { COLOR_LABELS } from './connectionFormat';

/**
 * The connection's colour as a small swatch, with its name for screen readers ("red tag"), so the
 * colour is never the only way to tell connections apart. Nothing for `none`.
 */
export function ColorTag({ color, decorative = false }: { color: ConnectionColor; decorative?: boolean }) {
  if (color === 'none') return null;
  // Decorative: where the name beside it is what a control is called (a button's name stays the connection's).
  if (decorative) return <span className={`color-tag color-${color}`} aria-hidden="true" />;
  return (
    <span className={`color-tag color-${color}`}>
      <span className="visually-hidden">{COLOR_LABELS[color].toLowerCase()} tag</span>
    </span>
  );
}

/** "read-only": the badge that says Simple DB will not change this database. */
export function ReadOnlyBadge() {
  return <span className="badge badge-readonly">read-only</span>;
}
