import { describe, expect, it } from 'vitest';
import { isSafeExternalUrl } from '../../src/main/electron/external-url';
import { buildPreloadApi } from '../../src/preload/api-object';
import { procedureNames } from '../../src/shared/procedures';

describe('window.api as the preload builds it', () => {
  it('has one function per procedure, each sending its own name through the one call', async () => {
    const sent: Array<[string, unknown]> = [];
    const api = buildPreloadApi(async (procedure, input) => {
      sent.push([procedure, input]);
      return { ok: true, data: null };
    }) as Record<string, Record<string, (input?: unknown) => Promise<unknown>>>;
    for (const procedure of procedureNames) {
      const [namespace, method] = procedure.split('.') as [string, string];
      await api[namespace]![method]!({ probe: procedure });
    }
    await api.users!.list!();
    expect(sent).toEqual([...procedureNames.map((p) => [p, { probe: p }]), ['users.list', {}]]);
    expect(Object.keys(api).sort()).toEqual(['app', 'call', 'migrations', 'users']);
  });
});

describe('links leaving the app', () => {
  it('only http and https', () => {
    expect(isSafeExternalUrl('https://www.postgresql.org/docs/')).toBe(true);
    expect(isSafeExternalUrl('http://localhost:8080/')).toBe(true);
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'vscode://x', 'not a url']) {
      expect(isSafeExternalUrl(url)).toBe(false);
    }
  });
});
