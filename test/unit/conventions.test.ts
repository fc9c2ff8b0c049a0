import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The project's lint rules that matter for security, checked over the source as text: cheap,
// and they fail the build the day someone reaches for the dangerous shortcut.
const root = path.resolve(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(relative);
    return /\.(ts|tsx|mjs)$/.test(entry.name) ? [relative] : [];
  });
}

const files = [...sourceFiles('src'), ...sourceFiles('scripts')].map((file) => ({ file, text: fs.readFileSync(path.join(root, file), 'utf8') }));
const offenders = (pattern: RegExp, allowed: string[] = []) =>
  files.filter(({ file, text }) => pattern.test(text) && !allowed.includes(file)).map(({ file }) => file);

describe('source conventions', () => {
  it('links leave the app only through safeOpenExternal', () => {
    expect(offenders(/shell\.openExternal\(/, ['src/main/electron/window.ts'])).toEqual([]);
  });

  it('database text is never rendered as HTML', () => {
    expect(offenders(/dangerouslySetInnerHTML|\.innerHTML\s*=|outerHTML\s*=|insertAdjacentHTML/)).toEqual([]);
  });

  it('no window weakens its sandbox', () => {
    expect(offenders(/nodeIntegration:\s*true|sandbox:\s*false|contextIsolation:\s*false|webSecurity:\s*false/)).toEqual([]);
  });

  it('child processes never go through a shell', () => {
    expect(offenders(/shell:\s*true|import\s*\{[^}]*\b(exec|execSync)\b[^}]*\}\s*from\s*'(node:)?child_process'/)).toEqual([]);
  });

  it("only the Electron glue imports 'electron'", () => {
    expect(offenders(/from 'electron'/).sort()).toEqual(['src/main/electron/ipc.ts', 'src/main/electron/window.ts', 'src/main/index.ts', 'src/preload/index.ts']);
  });

  it('no default exports', () => {
    expect(offenders(/^export default /m)).toEqual([]);
  });
});
