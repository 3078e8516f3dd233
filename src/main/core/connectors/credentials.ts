/**
 * Connector credentials, encrypted at rest. A CredentialVault turns secrets into an opaque blob and back:
 * in Electron, the OS keychain through `safeStorage` (plug it in with `safeStorageVault`); in web mode and
 * the CLI, AES-256-GCM under a key derived with scrypt from a passphrase the user provides. The database
 * only ever holds the blob; secrets are never logged or written in clear.
 */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { CoreError } from '../../../shared/result';
import type { PortfolioStore } from '../db/store';

export interface CredentialVault {
  readonly scheme: string;
  encrypt(plain: string): string;
  /** Throws when the blob cannot be decrypted (wrong key, tampered). */
  decrypt(blob: string): string;
}

const SCRYPT = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

/** AES-256-GCM with a per-blob random salt (scrypt) and IV; the GCM tag authenticates the blob. */
export class PassphraseVault implements CredentialVault {
  readonly scheme = 'scrypt-aes-256-gcm';
  private readonly keys = new Map<string, Buffer>();

  constructor(private readonly passphrase: string) {
    if (passphrase.length < 8)
      throw new CoreError('invalid_arguments', 'the credentials key must be at least 8 characters', 'key');
  }

  private key(salt: Buffer): Buffer {
    const k = salt.toString('base64');
    let key = this.keys.get(k);
    if (!key) {
      key = scryptSync(this.passphrase, salt, 32, SCRYPT);
      this.keys.set(k, key);
    }
    return key;
  }

  encrypt(plain: string): string {
    const salt = randomBytes(16);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key(salt), iv);
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return JSON.stringify({
      v: 1,
      kdf: 'scrypt',
      N: SCRYPT.N,
      r: SCRYPT.r,
      p: SCRYPT.p,
      salt: salt.toString('base64'),
      iv: iv.toString('base64'),
      tag: tag.toString('base64'),
      ct: ct.toString('base64'),
    });
  }

  decrypt(blob: string): string {
    let b: { v: number; salt: string; iv: string; tag: string; ct: string };
    try {
      b = JSON.parse(blob);
    } catch {
      throw new CoreError('unauthorized', 'the stored credentials are damaged');
    }
    try {
      const decipher = createDecipheriv(
        'aes-256-gcm',
        this.key(Buffer.from(b.salt, 'base64')),
        Buffer.from(b.iv, 'base64'),
      );
      decipher.setAuthTag(Buffer.from(b.tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(b.ct, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new CoreError('unauthorized', 'cannot decrypt the stored credentials: wrong credentials key');
    }
  }
}

/** The subset of Electron's safeStorage the vault needs (so the core never imports electron). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

export const safeStorageVault = (ss: SafeStorageLike): CredentialVault => ({
  scheme: 'electron-safestorage',
  encrypt(plain) {
    if (!ss.isEncryptionAvailable())
      throw new CoreError('storage', 'the operating system keychain is not available');
    return ss.encryptString(plain).toString('base64');
  },
  decrypt(blob) {
    try {
      return ss.decryptString(Buffer.from(blob, 'base64'));
    } catch {
      throw new CoreError(
        'unauthorized',
        'the operating system keychain could not decrypt the stored credentials',
      );
    }
  },
});

export type Credentials = Record<string, string>;

export const saveCredentials = (
  store: PortfolioStore,
  name: string,
  creds: Credentials,
  vault: CredentialVault,
  now: Date,
): void => {
  const blob = vault.encrypt(JSON.stringify(creds));
  store.write((tx) =>
    tx.run(
      'INSERT INTO credentials(name, scheme, blob, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET scheme = excluded.scheme, blob = excluded.blob, updated_at = excluded.updated_at',
      [name, vault.scheme, blob, now.toISOString()],
    ),
  );
};

export const loadCredentials = (
  store: PortfolioStore,
  name: string,
  vault: CredentialVault | null,
): Credentials | null => {
  const row = store.get<{ scheme: string; blob: string }>(
    'SELECT scheme, blob FROM credentials WHERE name = ?',
    [name],
  );
  if (!row) return null;
  if (!vault)
    throw new CoreError(
      'unauthorized',
      `the credentials for ${name} are locked: provide the credentials key`,
    );
  if (row.scheme !== vault.scheme) {
    throw new CoreError(
      'unauthorized',
      `the credentials for ${name} were stored with ${row.scheme}, not ${vault.scheme}`,
    );
  }
  return JSON.parse(vault.decrypt(row.blob)) as Credentials;
};

export const hasCredentials = (store: PortfolioStore, name: string): boolean =>
  !!store.get('SELECT 1 AS x FROM credentials WHERE name = ?', [name]);
