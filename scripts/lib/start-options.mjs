// What `npm start` was asked for, and whether the desktop window may start for this user. Pure
// functions, so the decisions are tested without starting anything (test/unit/start-options.test.ts).

export const USAGE = 'Usage: npm start [-- [--browser] [--no-open] [--disable-chromium-sandbox]]';

/**
 * --browser                   browser mode even where the desktop window could open
 * --no-open                   browser mode only prints its address instead of opening the default browser
 * --disable-chromium-sandbox  start the desktop window without Chromium's sandbox (needed as root)
 */
export function parseStartOptions(args) {
  const known = new Set(['--browser', '--no-open', '--disable-chromium-sandbox']);
  return {
    browser: args.includes('--browser'),
    openBrowser: !args.includes('--no-open'),
    disableChromiumSandbox: args.includes('--disable-chromium-sandbox'),
    unknown: args.filter((arg) => !known.has(arg)),
  };
}

/**
 * Chromium refuses to start as root with its sandbox on, and turning the sandbox off must be the
 * admin's explicit choice, never ours. Returns either the reason to use browser mode instead, or the
 * extra Electron arguments and the line that says what they turn off.
 */
export function decideChromiumSandbox({ isRoot, disableChromiumSandbox }) {
  if (disableChromiumSandbox) {
    return {
      browserModeReason: null,
      electronArgs: ['--no-sandbox'],
      notice: "--disable-chromium-sandbox: starting the desktop window without Chromium's sandbox (--no-sandbox).",
    };
  }
  if (isRoot) {
    return {
      browserModeReason:
        "you are running it as root: Chromium's sandbox cannot run as root; pass --disable-chromium-sandbox to open the desktop window without it, or run as an ordinary user",
      electronArgs: [],
      notice: null,
    };
  }
  return { browserModeReason: null, electronArgs: [], notice: null };
}
