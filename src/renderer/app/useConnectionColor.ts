import type { ConnectionColor } from '../../shared/contract';
import { useCurrentConnectionView } from '../features/connections/connectionsStore';

/** The colour tag of the connection this window shows ('none' until known): the shell wears it. */
export function useConnectionColor(): ConnectionColor {
  return useCurrentConnectionView().color;
}
