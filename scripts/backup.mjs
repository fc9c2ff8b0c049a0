// `npm run backup -- [--format custom|plain|directory] [--out <file or folder>]`: the app's own backup, for cron and scripts.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { buildIfNeeded, root } from './lib/build-if-needed.mjs';

buildIfNeeded({ quiet: true });
const result = spawnSync(process.execPath, [path.join(root, 'out', 'main', 'backup-cli.js'), 'backup', ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
