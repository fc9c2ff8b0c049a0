import { useEffect, useRef, useState } from 'react';
import { useAppInfoStore } from '../lib/appInfoStore';
import { useCurrentConnectionStore } from '../lib/currentConnection';
import { databaseLabel } from '../lib/format/database';
import { ColorTag, ReadOnlyBadge } from '../features/connections/ColorTag';
import { entryAddress } from '../features/connections/connectionFormat';
import { useConnectionsStore, useCurrentConnectionView } from '../features/connections/connectionsStore';
import { useNavigationStore } from './navigation';

/**
 * The top of the sidebar: which connection this window shows (name, colour tag, address,
 * read-only), and a list of the open connections to switch to. Opening a closed one, and
 * everything else, is on the Connections screen.
 */
export function ConnectionSwitcher() {
  const view = useCurrentConnectionView();
  const current = view.entry;
  const database = useAppInfoStore((s) => s.info?.database);
  const entries = useConnectionsStore((s) => s.entries);
  const switchTo = useCurrentConnectionStore((s) => s.switchTo);
  const go = useNavigationStore((s) => s.go);
  const [open, setOpen] = useState(false);
  const [switched, setSwitched] = useState('');
  const rootRef = useRef<HTMLElement>(null);
  const toggleRef = useRef<HTMLButtonElement>(null);
  const others = entries.filter((entry) => entry.state !== 'closed' || entry.id === current?.id);

  // Escape or a click elsewhere closes the list.
  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !event.defaultPrevented) {
        setOpen(false);
        toggleRef.current?.focus();
      }
    };
    const onPointer = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node | null)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);

  const name = view.name ?? (database ? databaseLabel(database) : 'Connecting…');
  const address = current ? entryAddress(current) : database ? entryAddress({ ...database, database: database.name }) : null;
  const lost = view.state === 'lost';

  return (
    <section ref={rootRef} className="connection-switcher" aria-labelledby="switcher-heading">
      <h2 id="switcher-heading" className="visually-hidden">
        Current connection
      </h2>
      <p className="switcher-name">
        <ColorTag color={view.color} />
        <span className="switcher-name-text">{name}</span>
      </p>
      {address && (
        <p className="switcher-address" title={address}>
          <BreakableAddress address={address} />
        </p>
      )}
      {(view.readOnly || lost) && (
        <p className="switcher-badges">
          {view.readOnly && <ReadOnlyBadge />}
          {lost && <span className="badge badge-lost">connection lost</span>}
        </p>
      )}
      {/* Always in the page, so a switch is announced. */}
      <p role="status" className="visually-hidden">
        {switched}
      </p>
      <button
        ref={toggleRef}
        type="button"
        className="button button-small switcher-toggle"
        aria-expanded={open}
        aria-controls="switcher-list"
        onClick={() => setOpen((was) => !was)}
      >
        Switch connection
      </button>
      {open && (
        <div id="switcher-list" className="switcher-list">
          {others.length === 0 ? (
            <p className="muted">No other connection is open.</p>
          ) : (
            <ul className="switcher-items" aria-label="Open connections">
              {others.map((entry) => (
                <li key={entry.id}>
                  <button
                    type="button"
                    className="switcher-item"
                    aria-current={entry.id === current?.id ? 'true' : undefined}
                    onClick={() => {
                      setOpen(false);
                      switchTo(entry.id);
                      // The item goes with the list: focus returns to the toggle, and the change is said.
                      toggleRef.current?.focus();
                      setSwitched(`Switched to ${entry.name}.`);
                    }}
                  >
                    <ColorTag color={entry.color} decorative />
                    <span className="switcher-item-name">{entry.name}</span>
                    {entry.state === 'lost' && <span className="badge badge-lost">lost</span>}
                  </button>
                </li>
              ))}
            </ul>
          )}
          <button
            type="button"
            className="button button-small button-quiet"
            onClick={() => {
              setOpen(false);
              go('connections');
            }}
          >
            Manage connections
          </button>
        </div>
      )}
    </section>
  );
}

/**
 * An address (user@host:5432/db) with line-break opportunities after its separators, so a narrow
 * sidebar wraps it between its parts rather than mid-word; only a part longer than the sidebar
 * is still broken inside (the stylesheet's last resort).
 */
function BreakableAddress({ address }: { address: string }) {
  const parts = address.split(/(?<=[@:/.])/);
  return (
    <>
      {parts.map((part, index) => (
        <span key={index}>
          {part}
          {index < parts.length - 1 && <wbr />}
        </span>
      ))}
    </>
  );
}
