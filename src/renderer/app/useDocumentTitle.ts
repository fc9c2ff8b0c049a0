import { useEffect } from 'react';
import { useAppInfoStore } from '../lib/appInfoStore';
import { databaseLabel } from '../lib/format/database';

/** The tab (and the window) names the database: "Embedded PostgreSQL 15.4 — Simple DB". */
export function useDocumentTitle(): void {
  const database = useAppInfoStore((s) => s.info?.database);
  const label = database ? databaseLabel(database) : null;
  useEffect(() => {
    document.title = label ? `${label} — Simple DB` : 'Simple DB';
  }, [label]);
}
