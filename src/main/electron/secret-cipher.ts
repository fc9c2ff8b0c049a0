import type { SecretCipher } from '../connections/secret-vault';

/** The slice of Electron's safeStorage the cipher uses, so it is tested without Electron. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  /** Linux only: 'basic_text' means a hard-coded key, i.e. no real secret store. */
  getSelectedStorageBackend?(): string;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

const BACKEND_NAMES: Record<string, string> = {
  gnome_libsecret: 'GNOME Keyring (libsecret)',
  kwallet: 'KWallet',
  kwallet5: 'KWallet 5',
  kwallet6: 'KWallet 6',
};

/**
 * Electron's safeStorage as Simple DB's secret cipher. On Linux without a keyring, Chromium falls
 * back to `basic_text`, a key anyone can read in its source: that is no secret store, so it counts
 * as none and secrets stay in memory (after the admin agreed).
 */
export function safeStorageCipher(storage: SafeStorageLike, platform: NodeJS.Platform = process.platform): SecretCipher {
  const backend = platform === 'linux' ? (storage.getSelectedStorageBackend?.() ?? 'unknown') : null;
  const available = storage.isEncryptionAvailable() && backend !== 'basic_text' && backend !== 'unknown';
  const detail = !available
    ? backend === 'basic_text'
      ? 'no keyring (GNOME Keyring or KWallet) is running'
      : 'the operating system offers no secret store'
    : platform === 'darwin'
      ? 'macOS Keychain'
      : platform === 'win32'
        ? 'Windows DPAPI'
        : (BACKEND_NAMES[backend ?? ''] ?? backend ?? 'the OS secret store');
  return {
    available,
    detail,
    encrypt: (plain) => storage.encryptString(plain),
    decrypt: (encrypted) => storage.decryptString(encrypted),
  };
}
