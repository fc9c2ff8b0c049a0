import { describe, expect, it } from 'vitest';
import { decideChromiumSandbox, parseStartOptions, USAGE } from '../../scripts/lib/start-options.mjs';

describe('npm start options', () => {
  it('defaults to the desktop window where possible, and to opening the default browser in browser mode', () => {
    expect(parseStartOptions([])).toEqual({ browser: false, openBrowser: true, disableChromiumSandbox: false, unknown: [] });
  });

  it('reads each flag and keeps the unknown ones for the error', () => {
    expect(parseStartOptions(['--browser', '--no-open', '--disable-chromium-sandbox', '--desktop'])).toEqual({
      browser: true,
      openBrowser: false,
      disableChromiumSandbox: true,
      unknown: ['--desktop'],
    });
  });

  it('names every flag in the usage line', () => {
    for (const flag of ['--browser', '--no-open', '--disable-chromium-sandbox']) expect(USAGE).toContain(flag);
  });
});

describe("Chromium's sandbox and root", () => {
  it('as an ordinary user, keeps the sandbox and says nothing', () => {
    expect(decideChromiumSandbox({ isRoot: false, disableChromiumSandbox: false })).toEqual({
      browserModeReason: null,
      electronArgs: [],
      notice: null,
    });
  });

  it('as root without the flag, refuses the desktop window and says which flag would allow it', () => {
    const decision = decideChromiumSandbox({ isRoot: true, disableChromiumSandbox: false });
    expect(decision.electronArgs).toEqual([]);
    expect(decision.browserModeReason).toContain("Chromium's sandbox cannot run as root");
    expect(decision.browserModeReason).toContain('pass --disable-chromium-sandbox');
    expect(decision.browserModeReason).toContain('run as an ordinary user');
  });

  it('with the flag, turns the sandbox off and says so, as root or not', () => {
    for (const isRoot of [true, false]) {
      const decision = decideChromiumSandbox({ isRoot, disableChromiumSandbox: true });
      expect(decision.browserModeReason).toBeNull();
      expect(decision.electronArgs).toEqual(['--no-sandbox']);
      expect(decision.notice).toMatch(/without Chromium's sandbox/);
    }
  });
});
