import { spawn } from 'node:child_process';

/** The desktop's own "open this address" command, with the address as one argument (no shell). */
function opener(url: string): { command: string; args: string[] } | null {
  switch (process.platform) {
    case 'darwin':
      return { command: 'open', args: [url] };
    case 'win32':
      return { command: 'rundll32', args: ['url.dll,FileProtocolHandler', url] };
    default:
      return process.env.DISPLAY || process.env.WAYLAND_DISPLAY ? { command: 'xdg-open', args: [url] } : null;
  }
}

/**
 * Opens `url` in the default browser. Resolves true only when the opener ran and succeeded, so the
 * caller says "opened" only when it did; never throws (the printed address is always the fallback).
 */
export function openInBrowser(url: string): Promise<boolean> {
  const command = opener(url);
  if (!command) return Promise.resolve(false);
  return new Promise((resolve) => {
    try {
      const child = spawn(command.command, command.args, { stdio: 'ignore', shell: false });
      child.once('error', () => resolve(false));
      child.once('exit', (code) => resolve(code === 0));
    } catch {
      resolve(false);
    }
  });
}
