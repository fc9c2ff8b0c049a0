import { z } from 'zod';
import { jobIdSchema, jobStartedSchema } from './jobs';
import { productSelectionFields, productSortKeySchema } from './products';
import { sortDirectionSchema, sortKeySchema, userSelectionFields } from './users';

/**
 * CSV export and import. A file is never named by the window: the main process hands out an
 * opaque handle for a file the admin chose (the desktop's save/open dialog) or uploaded (browser
 * mode), so a page cannot make the app read or write a path of its own choosing.
 */
export const fileHandleSchema = z
  .string({ error: 'The file handle must be text' })
  .regex(/^[A-Za-z0-9_-]{16,64}$/, 'Unknown file: choose the file again.');

/** A file the admin chose or uploaded, as the window shows it. */
export const chosenFileSchema = z.object({ handle: fileHandleSchema, name: z.string(), size: z.number().int().nullable() });
export type ChosenFile = z.infer<typeof chosenFileSchema>;

/**
 * Where an export goes: a handle from `transfer.chooseDestination` (desktop), or nothing: the file
 * is written into the app's exports folder and downloaded from there (browser mode).
 */
const destinationField = { destination: fileHandleSchema.optional() };

export const userExportInputSchema = z
  .object({ ...userSelectionFields, sort: sortKeySchema.default('id'), direction: sortDirectionSchema.default('asc'), ...destinationField })
  .strict();
export type UserExportInput = z.input<typeof userExportInputSchema>;

export const productExportInputSchema = z
  .object({ ...productSelectionFields, sort: productSortKeySchema.default('id'), direction: sortDirectionSchema.default('asc'), ...destinationField })
  .strict();
export type ProductExportInput = z.input<typeof productExportInputSchema>;

/** An export job's result. */
export const exportResultSchema = z.object({
  rows: z.number().int(),
  bytes: z.number().int(),
  /** The file's name (not its folder). */
  fileName: z.string(),
});
export type ExportResult = z.infer<typeof exportResultSchema>;

/**
 * - reject (the default): any bad line and nothing is written;
 * - skip: the good lines are written, the bad ones reported;
 * - update (users only): a user already in the table, matched by email, gets the file's name
 *   (and created_at, when the file has it); any other bad line, and nothing is written.
 */
export const importModes = ['reject', 'skip', 'update'] as const;
export const importModeSchema = z.enum(importModes, { error: 'Mode must be reject, skip or update' });
export type ImportMode = z.infer<typeof importModeSchema>;

export const userImportInputSchema = z.object({ source: fileHandleSchema, mode: importModeSchema.default('reject') }).strict();
export type UserImportInput = z.input<typeof userImportInputSchema>;

export const productImportInputSchema = z
  .object({ source: fileHandleSchema, mode: z.enum(['reject', 'skip'], { error: 'Mode must be reject or skip' }).default('reject') })
  .strict();
export type ProductImportInput = z.input<typeof productImportInputSchema>;

/** One bad line of an import, as the report shows it. */
export const importProblemSchema = z.object({
  /** The file's line the record starts on (1 is the header). */
  line: z.number().int(),
  /** The column at fault, or null for the whole line (too many fields). */
  column: z.string().nullable(),
  /** The value as found, shortened. */
  value: z.string().nullable(),
  reason: z.string(),
});
export type ImportProblem = z.infer<typeof importProblemSchema>;

/** The most problems a report lists; `problemCount` counts them all. */
export const IMPORT_PROBLEMS_MAX = 1000;

/** An import job's result: what was written, and every bad line (up to the cap). */
export const importReportSchema = z.object({
  /** Data lines read (the header not counted). */
  rows: z.number().int(),
  inserted: z.number().int(),
  updated: z.number().int(),
  /** Bad lines left out (skip mode). */
  skipped: z.number().int(),
  /** Nothing was written because the file had bad lines (reject mode). */
  rejected: z.boolean(),
  problems: z.array(importProblemSchema),
  /** Every problem found (a line may have more than one: a bad email and an empty name). */
  problemCount: z.number().int(),
  /** Lines with at least one problem. */
  badLines: z.number().int(),
  /**
   * The line the reading stopped at, when a quote out of place made the rest of the file
   * unreadable: nothing was written, whatever the mode; the file must be fixed.
   */
  unreadFrom: z.number().int().nullable(),
});
export type ImportReport = z.infer<typeof importReportSchema>;

/** Which of a finished transfer job's files: the exported CSV, or an import's report of bad lines as CSV. */
const jobFileSchema = z.object({ jobId: jobIdSchema, file: z.enum(['export', 'report']) }).strict();

export const transferContract = {
  'users.export': { input: userExportInputSchema, output: jobStartedSchema },
  'products.export': { input: productExportInputSchema, output: jobStartedSchema },
  'users.import': { input: userImportInputSchema, output: jobStartedSchema },
  'products.import': { input: productImportInputSchema, output: jobStartedSchema },
  /** Desktop: the save dialog; null when the admin cancelled it. */
  'transfer.chooseDestination': {
    input: z
      .object({
        suggestedName: z
          .string()
          .max(200)
          .regex(/^[^/\\]+\.csv$/, 'The suggested name must be a file name ending in .csv'),
      })
      .strict(),
    output: chosenFileSchema.nullable(),
  },
  /** Desktop: the open dialog; null when the admin cancelled it. (Browser mode uploads: POST /upload.) */
  'transfer.chooseSource': { input: z.object({}).strict().default({}), output: chosenFileSchema.nullable() },
  /** Browser mode: a one-time address (valid a minute) that downloads the export or the report. */
  'transfer.download': { input: jobFileSchema, output: z.object({ url: z.string() }) },
  /** Desktop: shows the export or the report in its folder. */
  'transfer.reveal': { input: jobFileSchema, output: z.object({}) },
};
