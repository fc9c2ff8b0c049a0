import type { FeatureHandlers } from '../api/context';

export const jobHandlers: FeatureHandlers<'jobs.list' | 'jobs.get' | 'jobs.cancel'> = {
  'jobs.list': async (_input, { services }) => ({ jobs: services.jobs.list() }),
  'jobs.get': async (input, { services }) => services.jobs.get(input.id),
  'jobs.cancel': (input, { services }) => services.jobs.cancel(input.id),
};
