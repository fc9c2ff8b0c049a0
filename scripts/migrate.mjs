// `npm run migrate -- up|down|status|create <name>`: the same migration list the app runs.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { buildIfNeeded, root } from './lib/build-if-needed.mjs';

buildIfNeeded({ quiet: true });
const result = spawnSync(process.execPath, [path.join(root, 'out', 'main', 'cli.js'), ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
