import { backupHandlers } from '../backups/handlers';
import { connectionHandlers } from '../connections/handlers';
import { infoHandlers } from '../info/handlers';
import { jobHandlers } from '../jobs/handlers';
import { migrationHandlers } from '../migrations/handlers';
import { productHandlers } from '../products/handlers';
import { transferHandlers } from '../transfer/handlers';
import { userHandlers } from '../users/handlers';
import type { HandlerMap } from './context';

/** Every procedure's handler, one feature a line: a new feature adds its folder and a line here. */
export const handlers: HandlerMap = {
  ...infoHandlers,
  ...migrationHandlers,
  ...userHandlers,
  ...productHandlers,
  ...jobHandlers,
  ...backupHandlers,
  ...connectionHandlers,
  ...transferHandlers,
};
