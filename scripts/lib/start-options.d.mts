/** Types for start-options.mjs, for its unit test. */

export const USAGE: string;

export interface StartOptions {
  browser: boolean;
  openBrowser: boolean;
  disableChromiumSandbox: boolean;
  unknown: string[];
}

export function parseStartOptions(args: readonly string[]): StartOptions;

export type SandboxDecision =
  { browserModeReason: string; electronArgs: []; notice: null } | { browserModeReason: null; electronArgs: string[]; notice: string | null };

export function decideChromiumSandbox(input: { isRoot: boolean; disableChromiumSandbox: boolean }): SandboxDecision;
