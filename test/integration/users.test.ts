import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/main/backend';
import type { User, UserDetail, UserListOutput } from '../../src/shared/contract';
import { call, migratedBackend } from '../support/database';

let backend: Backend;
beforeAll(async () => {
  ({ backend } = await migratedBackend());
});
afterAll(() => backend?.close());

describe('users CRUD', () => {
  it('creates a user with a normalised email and the server-side timestamp', async () => {
    const user = await call<User>(backend, 'users.create', { email: '  Alice@Example.COM ', name: ' Alice ' });
    expect(user).toMatchObject({ email: 'alice@example.com', name: 'Alice' });
    expect(user.id).toBeGreaterThan(0);
    expect(user.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/);
  });

  it('reads by id and by email', async () => {
    const created = await call<User>(backend, 'users.create', { email: 'bob@example.com', name: 'Bob' });
    const byId = await call<UserDetail>(backend, 'users.get', { id: created.id });
    const byEmail = await call<UserDetail>(backend, 'users.get', { email: 'BOB@example.com' });
    expect(byId).toEqual({ ...created, productCount: 0 });
    expect(byEmail).toEqual(byId);
  });

  it('lists', async () => {
    const page = await call<UserListOutput>(backend, 'users.list', {});
    expect(page.total).toEqual({ count: 2, estimated: false });
  });
});
