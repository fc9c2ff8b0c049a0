// `npm run import -- users|products FILE [--mode reject|skip|update] [--report REPORT.csv]`: a CSV into a table, all or nothing.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { buildIfNeeded, root } from './lib/build-if-needed.mjs';

buildIfNeeded({ quiet: true });
const result = spawnSync(process.execPath, [path.join(root, 'out', 'main', 'transfer-cli.js'), 'import', ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
