/** The desktop window's page lives at app://simple-db/ (a privileged scheme of our own). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'simple-db';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const RENDERER_URL = `${APP_ORIGIN}/index.html`;
