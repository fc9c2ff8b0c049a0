import crypto from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { profileSchema, type Profile, type ProfileDraft } from '../../shared/contract/connections';
import { AppError } from '../errors/app-error';
import { JsonFile } from '../settings/json-file';

const profilesFileSchema = z.object({ profiles: z.array(profileSchema).default([]) });

/**
 * The saved connection profiles: `connections.json` in the data directory (0600). A profile holds
 * no secret; passwords and passphrases live in the SecretVault, keyed by the profile's id.
 */
export class ProfileStore {
  private readonly json: JsonFile<typeof profilesFileSchema>;

  constructor(file: string, log?: (message: string) => void) {
    this.json = new JsonFile(file, profilesFileSchema, { profiles: [] }, log);
  }

  static inDataDir(dataDir: string, log?: (message: string) => void): ProfileStore {
    return new ProfileStore(path.join(dataDir, 'connections.json'), log);
  }

  async list(): Promise<Profile[]> {
    return (await this.json.read()).profiles;
  }

  async get(id: string): Promise<Profile> {
    const profile = (await this.list()).find((candidate) => candidate.id === id);
    if (!profile) throw new AppError('NOT_FOUND', 'That saved connection no longer exists. Reload the list of connections.', { field: 'id' });
    return profile;
  }

  /** Adds a draft without an id, or replaces the profile with its id. Names are unique (case-insensitive). */
  async save(draft: ProfileDraft): Promise<Profile> {
    const profiles = await this.list();
    if (draft.id !== undefined && !profiles.some((profile) => profile.id === draft.id)) await this.get(draft.id);
    const profile = profileSchema.parse({ ...draft, id: draft.id ?? `p-${crypto.randomUUID()}` });
    const clash = profiles.find((other) => other.id !== profile.id && other.name.toLowerCase() === profile.name.toLowerCase());
    if (clash) {
      throw new AppError('CONFLICT', `A connection named “${clash.name}” already exists. Choose another name.`, { field: 'profile.name' });
    }
    await this.json.update((contents) => {
      const at = contents.profiles.findIndex((existing) => existing.id === profile.id);
      if (at >= 0) contents.profiles[at] = profile;
      else contents.profiles.push(profile);
    });
    return profile;
  }

  async delete(id: string): Promise<Profile> {
    const profile = await this.get(id);
    await this.json.update((contents) => {
      contents.profiles = contents.profiles.filter((existing) => existing.id !== id);
    });
    return profile;
  }
}
