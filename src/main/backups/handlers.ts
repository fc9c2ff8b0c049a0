import type { FeatureHandlers } from '../api/context';
import { createMigrator } from '../db/migrations';
import { AppError } from '../errors/app-error';
import { sizeText } from '../../shared/size-text';
import { majorOfVersion, TOOL_NAMES } from './tools';

type BackupProcedure =
  | 'backups.list'
  | 'backups.plan'
  | 'backups.create'
  | 'backups.verify'
  | 'backups.delete'
  | 'backups.preflight'
  | 'backups.restore'
  | 'backups.tools'
  | 'backups.folder.set'
  | 'backups.download'
  | 'backups.reveal'
  | 'backups.schedule.get'
  | 'backups.schedule.set'
  | 'backups.schedule.missed';

export const backupHandlers: FeatureHandlers<BackupProcedure> = {
  'backups.list': async (_input, { services }) => {
    const { backups } = services;
    return { folder: await backups.folder(), backups: await backups.list(), options: await backups.options() };
  },
  'backups.plan': async ({ options }, { services, connection }) => {
    const plan = await services.backups.plan(connection.target, options);
    return { file: plan.file, commandLine: plan.commandLine, tool: plan.tool, options: plan.options };
  },
  'backups.create': async ({ options, purpose }, context) => {
    const { target, db } = context.connection;
    // Fails at once, before a job exists, when no pg_dump fits the server or an option is wrong.
    const plan = await context.services.backups.plan(target, options, { remembered: purpose === 'manual' });
    const migrations = purpose === 'pre-migration' ? (await createMigrator(db.sequelize).pending()).map((migration) => migration.name) : [];
    const title = purpose === 'pre-migration' ? `Back up ${target.database} before migrating` : `Back up ${target.database}`;
    return context.startJob('backups.create', title, async (control) => {
      const entry = await context.services.backups.create(
        target,
        purpose === 'pre-migration'
          ? { kind: 'pre-migration', migrations, note: `Before applying ${migrations.join(', ') || 'migrations'}`, plan }
          : { ...(options ? { options } : {}), kind: 'manual', plan },
        control,
      );
      return { summary: `${entry.name} (${sizeText(entry.size)}), verified`, result: entry };
    });
  },
  'backups.verify': async ({ name }, context) => {
    await context.services.backups.find(name);
    return context.startJob('backups.verify', `Verify ${name}`, async ({ signal }) => {
      const verification = await context.services.backups.verify(name, signal);
      return { summary: `${verification.state === 'verified' ? 'Verified' : 'Failed'}: ${verification.message}`, result: verification };
    });
  },
  'backups.delete': async ({ name }, { services }) => ({ deleted: await services.backups.delete(name) }),
  'backups.preflight': async (input, { services, connection, signal }) => services.backups.preflight(connection.target, input, signal),
  'backups.restore': async (input, context) => {
    const { target } = context.connection;
    await context.services.backups.checkConfirmation(target, input, input.confirm);
    const database = input.target.mode === 'new' ? input.target.database : target.database;
    return context.startJob('backups.restore', `Restore ${input.name} into ${database}`, async (control) => {
      const result = await context.services.backups.restore(target, input, control);
      const counts = result.matches === null ? 'no row counts to compare' : result.matches ? 'row counts match' : 'row counts differ';
      return { summary: `Restored into ${result.database}; ${counts}${result.safetyBackup ? `; safety backup ${result.safetyBackup}` : ''}`, result };
    });
  },
  'backups.tools': async ({ paths }, { services, connection }) => {
    const { toolbox } = services.backups;
    toolbox.rescan();
    for (const name of TOOL_NAMES) {
      const value = paths?.[name];
      if (value === undefined) continue;
      try {
        await toolbox.setPath(name, value === null || value.trim() === '' ? null : value);
      } catch (error) {
        if (error instanceof AppError) throw new AppError(error.code, error.message, { field: `paths.${name}` });
        throw error;
      }
    }
    const major = majorOfVersion(await connection.serverVersion()) ?? 0;
    const installed = await toolbox.installed();
    const problems: string[] = [];
    const chosen = { pg_dump: null, pg_restore: null, psql: null } as Record<
      (typeof TOOL_NAMES)[number],
      Awaited<ReturnType<typeof toolbox.pick>> | null
    >;
    for (const name of TOOL_NAMES) {
      try {
        chosen[name] = await toolbox.pick(name, major);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        problems.push(error.message);
      }
    }
    return { serverMajor: major, installed, chosen, problems, paths: await toolbox.paths() };
  },
  'backups.folder.set': async ({ folder }, { services }) => ({ folder: await services.backups.setFolder(folder) }),
  'backups.download': async ({ name }, { services }) => {
    const entry = await services.backups.find(name);
    if (entry.format === 'directory') {
      throw new AppError('VALIDATION', `${name} is a directory backup (a folder of files): copy the folder ${entry.path} instead.`, {
        field: 'name',
      });
    }
    return { url: `/download/${services.downloads.issue(entry.path)}` };
  },
  'backups.reveal': async ({ name }, { services }) => {
    const entry = await services.backups.find(name);
    if (!services.desktop) throw new AppError('VALIDATION', 'Showing a file in its folder works in the desktop app; in the browser, download it.');
    services.desktop.revealFile(entry.path);
    return { revealed: true };
  },
  'backups.schedule.get': async (_input, { services }) => services.scheduler.state(),
  'backups.schedule.set': async (schedule, { services }) => services.scheduler.set(schedule),
  'backups.schedule.missed': async ({ action }, { services }) => ({ jobId: await services.scheduler.resolveMissed(action) }),
};
