import crypto from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { backupManifestSchema, verificationSchema, type BackupManifest, type Verification } from '../../shared/contract/backups';
import { MANIFEST_SUFFIX } from './naming';

/** Size and sha256 of a backup: a file, or a directory archive's files in name order. */
export async function measureBackup(file: string, signal?: AbortSignal): Promise<{ size: number; sha256: string }> {
  const stat = await fs.stat(file);
  const hash = crypto.createHash('sha256');
  if (!stat.isDirectory()) {
    await pipeline(createReadStream(file), hash, { signal });
    return { size: stat.size, sha256: hash.digest('hex') };
  }
  let size = 0;
  for (const name of (await fs.readdir(file)).sort()) {
    const member = path.join(file, name);
    const memberStat = await fs.stat(member);
    if (!memberStat.isFile()) continue;
    size += memberStat.size;
    // The name and size go in too: renaming or swapping two members changes the sum.
    hash.update(`${name}\0${memberStat.size}\0`);
    for await (const chunk of createReadStream(member, { signal })) hash.update(chunk as Buffer);
  }
  return { size, sha256: hash.digest('hex') };
}

export function manifestPath(backupPath: string): string {
  return `${backupPath}${MANIFEST_SUFFIX}`;
}

/** The manifest file holds the manifest and, once checked, the last verification. */
interface ManifestFile {
  manifest: BackupManifest;
  verification?: Verification;
}

export async function writeManifest(backupPath: string, manifest: BackupManifest, verification?: Verification): Promise<void> {
  const file = manifestPath(backupPath);
  const temporary = `${file}.tmp`;
  const content: ManifestFile = { manifest, ...(verification ? { verification } : {}) };
  await fs.writeFile(temporary, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  await fs.rename(temporary, file);
}

/** The manifest beside a backup: null when there is none or it cannot be read (the backup is then listed as hand-made). */
export async function readManifest(backupPath: string): Promise<{ manifest: BackupManifest; verification: Verification | null } | null> {
  let raw: unknown;
  try {
    raw = JSON.parse(await fs.readFile(manifestPath(backupPath), 'utf8'));
  } catch {
    return null;
  }
  const content = raw as Partial<ManifestFile>;
  const manifest = backupManifestSchema.safeParse(content.manifest);
  if (!manifest.success) return null;
  const verification = verificationSchema.safeParse(content.verification);
  return { manifest: manifest.data, verification: verification.success ? verification.data : null };
}
