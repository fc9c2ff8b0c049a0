// `npm run -s export -- users|products [--search …] [--output FILE]`: a table as CSV, to stdout or a file.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { buildIfNeeded, root } from './lib/build-if-needed.mjs';

buildIfNeeded({ quiet: true });
const result = spawnSync(process.execPath, [path.join(root, 'out', 'main', 'transfer-cli.js'), 'export', ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
