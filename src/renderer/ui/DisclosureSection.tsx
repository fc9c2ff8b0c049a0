import { useId, useState, type ReactNode } from 'react';

interface DisclosureSectionProps {
  title: string;
  /** Rendered (and, if it loads anything, loaded) only while open. */
  children: () => ReactNode;
}

/** A section whose heading is a button that shows or hides its content (aria-expanded says which). */
export function DisclosureSection({ title, children }: DisclosureSectionProps) {
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <section className="backups-section" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`} className="section-title">
        <button
          type="button"
          className="disclosure"
          aria-expanded={open}
          aria-controls={open ? `${id}-content` : undefined}
          onClick={() => setOpen((was) => !was)}
        >
          <span className="disclosure-arrow" aria-hidden="true">
            {open ? '▾' : '▸'}
          </span>
          {title}
        </button>
      </h3>
      {open && <div id={`${id}-content`}>{children()}</div>}
    </section>
  );
}
