/** Types for electron-runtime.mjs, so TypeScript callers (the Electron e2e smoke test) share it. */

export type ElectronRuntime = { ok: true; binary: string } | { ok: false; reason: string };

/** Where the Electron runtime is, or why it cannot be used. */
export function findElectronRuntime(env?: NodeJS.ProcessEnv): ElectronRuntime;

/** Path of the electron package's own installer script. */
export const electronInstallScript: string;

/** Why a desktop window cannot be shown here, or null when a display is available. */
export function findDisplayProblem(env?: NodeJS.ProcessEnv): string | null;
