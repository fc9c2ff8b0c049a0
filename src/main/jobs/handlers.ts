import type { FeatureHandlers } from '../api/context';

export const jobHandlers: FeatureHandlers<'jobs.list' | 'jobs.get' | 'jobs.cancel'> = {
  'jobs.list': (_input, { services }) => Promise.resolve({ jobs: services.jobs.list() }),
  'jobs.get': (input, { services }) => Promise.resolve(services.jobs.get(input.id)),
  'jobs.cancel': (input, { services }) => services.jobs.cancel(input.id),
};
