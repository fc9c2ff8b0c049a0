import type { FeatureHandlers } from '../api/context';
import { startConnectionlessJob } from '../api/dispatch';
import { importProfiles } from './import';
import { exportProfiles } from './import/simple-db';

type ConnectionProcedure =
  | 'connections.list'
  | 'connections.save'
  | 'connections.delete'
  | 'connections.test'
  | 'connections.open'
  | 'connections.close'
  | 'connections.import'
  | 'connections.export'
  | 'connections.trustHostKey'
  | 'connections.createDatabase';

export const connectionHandlers: FeatureHandlers<ConnectionProcedure> = {
  'connections.list': async (_input, { services }) => ({
    entries: await services.connectionProfiles.list(),
    secretStorage: services.connectionProfiles.secretStorage(),
  }),
  'connections.save': async (input, { services }) => services.connectionProfiles.save(input),
  'connections.delete': async ({ id }, { services }) => ({ deleted: await services.connectionProfiles.delete(id) }),
  'connections.test': ({ profile, secrets }, { services }) =>
    Promise.resolve(
      startConnectionlessJob(
        services,
        'connections.test',
        `Test connection ${profile.name}`,
        async (control) => {
          const result = await services.connectionProfiles.test(profile, secrets, control);
          return { summary: `PostgreSQL ${result.serverVersion}, ${result.latencyMs} ms, ${result.ssl ? 'SSL' : 'not encrypted'}`, result };
        },
        profile.id ?? 'new',
      ),
    ),
  'connections.open': async ({ id, secrets }, { services }) => services.connectionProfiles.open(id, secrets),
  'connections.close': async ({ id }, { services }) => services.connectionProfiles.close(id),
  'connections.import': async ({ source, text }) => importProfiles(source, text),
  'connections.export': async ({ ids }, { services }) => {
    const profiles = (await services.connectionProfiles.profiles()).filter((profile) => ids === undefined || ids.includes(profile.id));
    return {
      fileName: `simple-db-connections-${new Date().toISOString().slice(0, 10)}.json`,
      text: exportProfiles(profiles),
      count: profiles.length,
    };
  },
  'connections.trustHostKey': async (key, { services }) => {
    await services.connectionProfiles.trustHostKey(key);
    return { trusted: true as const };
  },
  'connections.createDatabase': async ({ id, secrets }, { services }) => services.connectionProfiles.createDatabase(id, secrets),
};
