import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests. The browser tests drive Debian's Chromium against browser mode
 * (`node out/main/server.js`, started once per run by the global setup with its own embedded
 * PostgreSQL); the Electron smoke test has a project of its own and skips, with its reason, where
 * the Electron runtime or a display is missing. Build first: `npx electron-vite build`.
 */
export default defineConfig({
  testDir: 'test/e2e',
  globalSetup: './test/e2e/global-setup.ts',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: true,
  reporter: 'list',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    headless: true,
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      testIgnore: /electron\.spec\.ts$/,
      use: {
        browserName: 'chromium',
        headless: true,
        launchOptions: {
          executablePath: '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--headless=new',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--disable-default-apps',
            '--metrics-recording-only',
            '--no-default-browser-check',
          ],
        },
      },
    },
    {
      name: 'electron',
      testMatch: /electron\.spec\.ts$/,
    },
  ],
});
