import { useEffect } from 'react';
import { useAppInfoStore } from '../lib/appInfoStore';
import { databaseLabel } from '../lib/format/database';
import { useCurrentConnectionView } from '../features/connections/connectionsStore';

/**
 * The tab (and the window) names the connection: "Production — Simple DB". The embedded database
 * is named with its version, as the status bar names it ("Embedded PostgreSQL 15.4 — Simple DB").
 */
export function useDocumentTitle(): void {
  const { name } = useCurrentConnectionView();
  const database = useAppInfoStore((s) => s.info?.database);
  const label = database?.kind === 'embedded' ? databaseLabel(database) : (name ?? (database ? databaseLabel(database) : null));
  useEffect(() => {
    document.title = label ? `${label} — Simple DB` : 'Simple DB';
  }, [label]);
}
