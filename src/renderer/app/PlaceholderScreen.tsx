import type { ScreenEntry } from './navigation';

/** A screen listed in the sidebar that this version does not have yet: say so plainly. */
export function PlaceholderScreen({ screen }: { screen: ScreenEntry }) {
  return (
    <section className="screen" aria-labelledby={`${screen.id}-heading`}>
      <h2 id={`${screen.id}-heading`} className="screen-title">
        {screen.label}
      </h2>
      <p className="empty-state">{screen.label} are not available in this version of Simple DB yet. Choose Users in the sidebar to manage users.</p>
    </section>
  );
}
