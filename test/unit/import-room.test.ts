import fs from 'node:fs/promises';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { refuseWithoutRoom } from '../../src/main/transfer/import-job';

describe('an import into the embedded database that the disk cannot hold', () => {
  it('is refused before it starts, saying the sizes; one that fits is let through', async () => {
    const stats = await fs.statfs(os.tmpdir());
    const free = stats.bavail * stats.bsize;
    await expect(refuseWithoutRoom(free, os.tmpdir())).rejects.toMatchObject({
      code: 'VALIDATION',
      field: 'source',
      message: expect.stringMatching(/^This file is .*needs about .* of disk, and the disk holding it has .* free\. Free some space/) as unknown,
    });
    await expect(refuseWithoutRoom(1024, os.tmpdir())).resolves.toBeUndefined();
    await expect(refuseWithoutRoom(null, os.tmpdir())).resolves.toBeUndefined();
  });
});
