import { describe, expect, it } from 'vitest';
import { boundaryViolation } from '../../scripts/lib/import-boundaries.mjs';

// The lint rule resolves each relative import to a repository path and asks this function.
describe('import boundaries between the folders', () => {
  it.each([
    ['src/main/users/service.ts', 'src/main/http/server'],
    ['src/main/jobs/registry.ts', 'src/main/electron/ipc'],
    ['src/main/db/deep/er/file.ts', 'src/main/http'],
    ['src/main/errors/translate.ts', 'src/main/api/dispatch'],
    ['src/main/http/server.ts', 'src/main/electron/window'],
    ['src/renderer/features/users/UsersScreen.tsx', 'src/main/users/service'],
    ['src/renderer/app/App.tsx', 'src/preload/index'],
    ['src/shared/contract/index.ts', 'src/main/api/dispatch'],
  ])('%s may not import %s', (importer, target) => {
    expect(boundaryViolation(importer, target)).toMatch(/may not import/);
  });

  it.each([
    ['src/main/index.ts', 'src/main/electron/window'],
    ['src/main/server.ts', 'src/main/http/server'],
    ['src/main/http/server.ts', 'src/main/api/dispatch'],
    ['src/main/electron/ipc.ts', 'src/main/electron/sender-check'],
    ['src/main/users/service.ts', 'src/main/errors/app-error'],
    ['src/main/api/dispatch.ts', 'src/main/errors/translate'],
    ['src/renderer/lib/api.ts', 'src/shared/contract/index'],
    ['src/main/users/service.ts', 'src/main/users/http-status'],
    ['test/integration/http.test.ts', 'src/main/http/server'],
  ])('%s may import %s', (importer, target) => {
    expect(boundaryViolation(importer, target)).toBeNull();
  });
});
