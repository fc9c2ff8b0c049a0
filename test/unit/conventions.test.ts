import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The project's security and layout conventions are lint rules (eslint.config.mjs), run by
// `npm test`. A rule cannot guard its own configuration, so this file does: each shortcut below,
// written where it would matter, must still be reported by the rule that forbids it.
const root = path.resolve(__dirname, '..', '..');
const eslint = new ESLint({ cwd: root });

/** The rule ids ESLint reports for `code` as if it were the file at `file` (plain JavaScript, so no type information is needed). */
async function reported(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).map((message) => message.ruleId ?? `fatal: ${message.message}`);
}

describe('lint rules keep the conventions', () => {
  it('links leave the app only through safeOpenExternal', async () => {
    const code = 'export function open(shell, url) { return shell.openExternal(url); }\n';
    expect(await reported('src/main/users/open.mjs', code)).toContain('no-restricted-properties');
    expect(await reported('src/main/electron/window.mjs', code)).toEqual([]);
  });

  it('database text is never rendered as HTML', async () => {
    expect(await reported('src/renderer/ui/cell.mjs', 'export function show(el, text) { el.innerHTML = text; }\n')).toContain(
      'no-restricted-properties',
    );
    expect(await reported('src/renderer/ui/cell.mjs', 'export function show(el, text) { el.insertAdjacentHTML("beforeend", text); }\n')).toContain(
      'no-restricted-syntax',
    );
    expect(await reported('src/renderer/ui/cell.mjs', 'export const props = (html) => ({ dangerouslySetInnerHTML: { __html: html } });\n')).toContain(
      'no-restricted-syntax',
    );
  });

  it('no window weakens its sandbox', async () => {
    for (const setting of ['nodeIntegration: true', 'sandbox: false', 'contextIsolation: false', 'webSecurity: false']) {
      expect(await reported('src/main/electron/window.mjs', `export const webPreferences = { ${setting} };\n`), setting).toContain(
        'no-restricted-syntax',
      );
    }
  });

  it('child processes never go through a shell', async () => {
    expect(await reported('src/main/process/run.mjs', "export { exec } from 'node:child_process';\n")).toContain('no-restricted-imports');
    expect(await reported('src/main/process/run.mjs', "import { execSync } from 'child_process';\nexecSync('ls');\n")).toContain(
      'no-restricted-imports',
    );
    expect(await reported('src/main/process/run.mjs', "import { spawn } from 'node:child_process';\nspawn('ls', [], { shell: true });\n")).toContain(
      'no-restricted-syntax',
    );
  });

  it("only the Electron glue, the desktop entry and the preload import 'electron'", async () => {
    const code = "import { app } from 'electron';\nexport const name = app.name;\n";
    expect(await reported('src/main/users/service.mjs', code)).toContain('no-restricted-imports');
    expect(await reported('src/renderer/app/App.mjs', code)).toContain('no-restricted-imports');
    for (const allowed of ['src/main/electron/window.mjs', 'src/preload/index.mjs']) {
      expect(await reported(allowed, code), allowed).toEqual([]);
    }
  });

  it('features never import a transport; the renderer never imports the main process', async () => {
    const importing = (target: string) => `import { x } from '${target}';\nexport const y = x;\n`;
    expect(await reported('src/main/users/service.mjs', importing('../http/server'))).toContain('local/import-boundaries');
    expect(await reported('src/main/errors/translate.mjs', importing('../api/dispatch'))).toContain('local/import-boundaries');
    expect(await reported('src/renderer/features/users/store.mjs', importing('../../../main/users/service'))).toContain('local/import-boundaries');
    expect(await reported('src/main/server.mjs', importing('./http/server'))).toEqual([]);
  });

  it('no default exports, and no focused tests', async () => {
    expect(await reported('src/main/users/service.mjs', 'export default function list() {}\n')).toContain('no-restricted-syntax');
    expect(await reported('test/unit/probe.test.mjs', "describe.only('x', () => {});\n")).toContain('no-restricted-syntax');
    expect(await reported('test/e2e/probe.spec.mjs', "test.describe.only('x', () => {});\n")).toContain('no-restricted-syntax');
  });
});
