import type { ApiClient } from '../../shared/client';
import { createApi } from './transport';

/**
 * The renderer's one client. Created once at start-up so browser mode reads (and strips) the
 * `?token=` from the address before anything else can look at or log the URL.
 */
export const api: ApiClient = createApi();
