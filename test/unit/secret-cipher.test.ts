import { describe, expect, it } from 'vitest';
import { safeStorageCipher, type SafeStorageLike } from '../../src/main/electron/secret-cipher';

/** Electron's safeStorage cannot run here (no runtime); this stands in for its answers only. */
function storage(available: boolean, backend?: string): SafeStorageLike {
  return {
    isEncryptionAvailable: () => available,
    ...(backend ? { getSelectedStorageBackend: () => backend } : {}),
    encryptString: (plain) => Buffer.from(`enc:${plain}`),
    decryptString: (encrypted) => encrypted.toString().replace(/^enc:/, ''),
  };
}

describe('the OS secret store as Simple DB sees it', () => {
  it('a Linux keyring counts, named for the admin', () => {
    const cipher = safeStorageCipher(storage(true, 'gnome_libsecret'), 'linux');
    expect(cipher).toMatchObject({ available: true, detail: 'GNOME Keyring (libsecret)' });
    expect(cipher.decrypt(cipher.encrypt('s3cret'))).toBe('s3cret');
  });

  it('basic_text is no secret store: secrets stay in memory, and the admin is told why', () => {
    expect(safeStorageCipher(storage(true, 'basic_text'), 'linux')).toMatchObject({ available: false, detail: expect.stringMatching(/no keyring/) });
  });

  it('macOS and Windows name their stores; an unavailable one is none', () => {
    expect(safeStorageCipher(storage(true), 'darwin').detail).toBe('macOS Keychain');
    expect(safeStorageCipher(storage(true), 'win32').detail).toBe('Windows DPAPI');
    expect(safeStorageCipher(storage(false), 'win32').available).toBe(false);
  });
});
