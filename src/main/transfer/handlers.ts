import fs from 'node:fs/promises';
import path from 'node:path';
import type { FeatureHandlers } from '../api/context';
import { tableEstimate } from '../db/table-facts';
import { AppError } from '../errors/app-error';
import { plannerEstimate, type ListSpec, type Selection } from '../lists/keyset';
import { describeProductSelection } from '../products/count';
import { PRODUCTS, productSelection } from '../products/list';
import { USERS } from '../users/queries';
import { describeSelection, userSelection } from '../users/selection';
import type { Database } from '../db/connect';
import { startExport } from './export-job';
import { startImport } from './import-job';
import { importProductsCsv } from './products-import';
import { productExportQuery } from './products-export';
import { importUsersCsv } from './users-import';
import { userExportQuery } from './users-export';

type TransferProcedure =
  | 'users.export'
  | 'products.export'
  | 'users.import'
  | 'products.import'
  | 'transfer.chooseDestination'
  | 'transfer.chooseSource'
  | 'transfer.download'
  | 'transfer.reveal';

/** Rows an export should expect: the table's cached figure when it writes everything, else the planner's estimate for the search. */
function rowEstimate(db: Database, spec: ListSpec<{ id: number }, string>, selection: Selection): Promise<number> {
  return selection.conditions.length ? plannerEstimate(db, spec, selection) : tableEstimate(db, spec.table);
}

const DESKTOP_ONLY = {
  destination: 'Choosing where to save works in the desktop app; in the browser, the export is downloaded when it is done.',
  source: 'Choosing a file from a dialog works in the desktop app; in the browser, the file is uploaded instead.',
  reveal: 'Showing a file in its folder works in the desktop app; in the browser, download it.',
};

export const transferHandlers: FeatureHandlers<TransferProcedure> = {
  // Not async: what they check before the job (the search, the handle, read-only) throws at once, and dispatch answers it.
  'users.export': (input, context) => {
    // Built now: a malformed search (an id that is not a number, a domain with an @) is refused before any job.
    const query = userExportQuery(input);
    const { db } = context.connection;
    return Promise.resolve(
      startExport(context, {
        kind: 'users.export',
        noun: USERS.noun,
        query,
        described: describeSelection(input),
        estimate: () => rowEstimate(db, USERS, userSelection(input)),
        destination: input.destination,
      }),
    );
  },
  'products.export': (input, context) => {
    const query = productExportQuery(input);
    const { db } = context.connection;
    return Promise.resolve(
      startExport(context, {
        kind: 'products.export',
        noun: PRODUCTS.noun,
        query,
        described: describeProductSelection(input),
        estimate: () => rowEstimate(db, PRODUCTS, productSelection(input)),
        destination: input.destination,
      }),
    );
  },
  'users.import': ({ source, mode }, context) =>
    startImport(context, { kind: 'users.import', table: 'users', noun: USERS.noun, source, mode, run: importUsersCsv }),
  'products.import': ({ source, mode }, context) =>
    startImport(context, { kind: 'products.import', table: 'products', noun: PRODUCTS.noun, source, mode, run: importProductsCsv }),
  'transfer.chooseDestination': async ({ suggestedName }, { services }) => {
    if (!services.desktop) throw new AppError('VALIDATION', DESKTOP_ONLY.destination);
    const file = await services.desktop.chooseSaveFile(suggestedName);
    if (file === null) return null;
    return services.transfer.handles.register({ path: file, name: path.basename(file), size: null, purpose: 'write', temporary: false });
  },
  'transfer.chooseSource': async (_input, { services }) => {
    if (!services.desktop) throw new AppError('VALIDATION', DESKTOP_ONLY.source);
    const file = await services.desktop.chooseOpenFile();
    if (file === null) return null;
    const { size } = await fs.stat(file);
    return services.transfer.handles.register({ path: file, name: path.basename(file), size, purpose: 'read', temporary: false });
  },
  'transfer.download': async ({ jobId, file }, { services }) => {
    const found = await services.transfer.file(jobId, file);
    return { url: `/download/${services.downloads.issue(found)}` };
  },
  'transfer.reveal': async ({ jobId, file }, { services }) => {
    const found = await services.transfer.file(jobId, file);
    if (!services.desktop) throw new AppError('VALIDATION', DESKTOP_ONLY.reveal);
    services.desktop.revealFile(found);
    return {};
  },
};
