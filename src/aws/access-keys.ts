import {
  CreateAccessKeyCommand,
  DeleteAccessKeyCommand,
  GetAccessKeyLastUsedCommand,
  NoSuchEntityException,
  paginateListAccessKeys,
  UpdateAccessKeyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import type { AccessKeyInfo, MintedKey, UserKeys } from '../rotation/ports';

/** Thin adapter over IAM's access-key calls for one user. */
export class AccessKeys implements UserKeys {
  constructor(private readonly client: IAMClient) {}

  async list(userName: string): Promise<AccessKeyInfo[]> {
    const keys: AccessKeyInfo[] = [];
    for await (const out of paginateListAccessKeys({ client: this.client }, { UserName: userName })) {
      for (const k of out.AccessKeyMetadata ?? []) {
        if (k.AccessKeyId)
          keys.push({ id: k.AccessKeyId, status: k.Status ?? 'Unknown', created: k.CreateDate ?? new Date(0) });
      }
    }
    return keys;
  }

  /** When the key was last used, or undefined if never (advisory: SMTP use may not be recorded promptly). */
  async lastUsed(accessKeyId: string): Promise<Date | undefined> {
    return (await this.lastUse(accessKeyId))?.date;
  }

  /** When, with which service and in which region the key was last used; undefined if never (IAM reports late). */
  async lastUse(accessKeyId: string): Promise<{ date: Date; service?: string; region?: string } | undefined> {
    const out = await this.client.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: accessKeyId }));
    const used = out.AccessKeyLastUsed;
    if (!used?.LastUsedDate) return undefined;
    return {
      date: used.LastUsedDate,
      ...(used.ServiceName ? { service: used.ServiceName } : {}),
      ...(used.Region ? { region: used.Region } : {}),
    };
  }

  /** Turns a key off (`Inactive`: it still counts toward the two-key limit) or back on (`Active`). */
  async setStatus(userName: string, accessKeyId: string, status: 'Active' | 'Inactive'): Promise<void> {
    await this.client.send(
      new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: accessKeyId, Status: status }),
    );
  }

  async create(userName: string): Promise<MintedKey> {
    const out = await this.client.send(new CreateAccessKeyCommand({ UserName: userName }));
    const key = out.AccessKey;
    if (!key?.AccessKeyId || !key.SecretAccessKey) throw new Error('IAM CreateAccessKey returned no key');
    return { id: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };
  }

  /** Deletes a key; a key that is already gone counts as deleted (idempotent retirement). */
  async delete(userName: string, accessKeyId: string): Promise<void> {
    try {
      await this.client.send(new DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: accessKeyId }));
    } catch (error) {
      if (!(error instanceof NoSuchEntityException)) throw error;
    }
  }
}
