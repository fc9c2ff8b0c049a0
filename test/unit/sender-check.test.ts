import { describe, expect, it } from 'vitest';
import { isTrustedSender } from '../../src/main/electron/sender-check';

const ours = 'file:///opt/simple-db/out/renderer/index.html';

describe('IPC sender check', () => {
  it('serves our page in the main frame, whatever its hash or query', () => {
    expect(isTrustedSender({ frameUrl: ours, isMainFrame: true }, ours)).toBe(true);
    expect(isTrustedSender({ frameUrl: `${ours}#/users`, isMainFrame: true }, ours)).toBe(true);
  });

  it('refuses subframes, other pages, other files and unknown senders', () => {
    expect(isTrustedSender({ frameUrl: ours, isMainFrame: false }, ours)).toBe(false);
    expect(isTrustedSender({ frameUrl: 'https://evil.example/', isMainFrame: true }, ours)).toBe(false);
    expect(isTrustedSender({ frameUrl: 'file:///tmp/evil.html', isMainFrame: true }, ours)).toBe(false);
    expect(isTrustedSender({ frameUrl: `${ours}.evil`, isMainFrame: true }, ours)).toBe(false);
    expect(isTrustedSender({ frameUrl: undefined, isMainFrame: true }, ours)).toBe(false);
  });
});
