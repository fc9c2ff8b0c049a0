// `npm run build`: electron-vite build, recorded so `npm start` and `npm run migrate` know it is current.
import { build } from './lib/build-if-needed.mjs';

build({ verbose: true });
