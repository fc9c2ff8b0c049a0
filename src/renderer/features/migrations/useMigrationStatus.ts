import { useEffect, useState } from 'react';
import type { MigrationState } from '../../../shared/contract';
import type { ApiError } from '../../../shared/errors';
import { api } from '../../lib/api';
import { toApiError } from '../../lib/toApiError';

/**
 * `migrations.status` of the window's connection, read again whenever `reason` or `again` changes
 * (app info after an apply elsewhere, a Retry); an answer that arrives after that is dropped.
 */
export function useMigrationStatus(
  reason?: unknown,
  again?: unknown,
): { state: MigrationState | null; error: ApiError | null; setState: (state: MigrationState) => void } {
  const [state, setState] = useState<MigrationState | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    let current = true;
    setError(null);
    api.migrations
      .status()
      .then((answer) => current && setState(answer))
      .catch((caught: unknown) => current && setError(toApiError(caught)));
    return () => {
      current = false;
    };
  }, [reason, again]);
  return { state, error, setState };
}
