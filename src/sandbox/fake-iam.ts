import { randomBytes } from 'node:crypto';
import {
  LimitExceededException,
  NoSuchEntityException,
  type CreateAccessKeyCommandInput,
  type CreateAccessKeyCommandOutput,
  type DeleteAccessKeyCommandInput,
  type DeleteAccessKeyCommandOutput,
  type GetAccessKeyLastUsedCommandInput,
  type GetAccessKeyLastUsedCommandOutput,
  type ListAccessKeysCommandInput,
  type ListAccessKeysCommandOutput,
  type UpdateAccessKeyCommandInput,
  type UpdateAccessKeyCommandOutput,
} from '@aws-sdk/client-iam';
import type { Clock } from '../core/clock';
import { deriveSmtpPassword } from '../core/smtp-password';
import { meta, type Output } from './sdk-output';

/** One access key of the fake IAM user, secret half included (the fake can verify SMTP passwords). */
export interface FakeAccessKey {
  readonly id: string;
  readonly secret: string;
  status: 'Active' | 'Inactive';
  readonly created: Date;
  lastUsed?: Date;
  /** Service and region IAM reports with the last use (default `ses` in the account's region). */
  lastUsedService?: string;
  lastUsedRegion?: string;
}

/** The quota AWS enforces on access keys per user; inactive keys count too. */
export const ACCESS_KEYS_PER_USER = 2;

/**
 * A stateful fake of the IAM access-key API for the SES sending user(s): the two-key limit, the secret returned
 * only by CreateAccessKey, Active/Inactive, last-used dates. It also plays the part of SES's credential check.
 */
export class FakeIam {
  private readonly users = new Map<string, FakeAccessKey[]>();
  private counter = 0;
  /** Every secret access key this fake ever minted (for leak scans: deleted keys' secrets must not leak either). */
  readonly everMinted: FakeAccessKey[] = [];
  /** Each key's SMTP password per region, derived once: a 500-relay fleet authenticates with the same few keys. */
  private readonly passwords = new WeakMap<FakeAccessKey, Map<string, string>>();

  constructor(private readonly clock: Clock) {}

  /** Creates a user (test helper). */
  addUser(userName: string): void {
    if (!this.users.has(userName)) this.users.set(userName, []);
  }

  /** Adds a key as if made in the console (test helper); returns it, secret included. */
  addKey(
    userName: string,
    options: { status?: 'Active' | 'Inactive'; lastUsed?: Date; created?: Date } = {},
  ): FakeAccessKey {
    const key = this.mint(userName);
    key.status = options.status ?? 'Active';
    if (options.lastUsed) key.lastUsed = options.lastUsed;
    if (options.created) (key as { created: Date }).created = options.created;
    return key;
  }

  /**
   * A consumer uses a key at `at` (test helper): what IAM's last-used record shows later. Inactive keys cannot be
   * used (SES refuses them), so nothing is recorded for them.
   */
  recordUse(accessKeyId: string, at: Date, where: { service?: string; region?: string } = {}): boolean {
    for (const keys of this.users.values()) {
      const key = keys.find((k) => k.id === accessKeyId);
      if (!key || key.status !== 'Active') continue;
      key.lastUsed = at;
      if (where.service) key.lastUsedService = where.service;
      if (where.region) key.lastUsedRegion = where.region;
      return true;
    }
    return false;
  }

  /** The user's keys (test helper, not an AWS call). */
  keys(userName: string): readonly FakeAccessKey[] {
    return this.users.get(userName) ?? [];
  }

  /**
   * SES's side of SMTP AUTH: true when the key exists, is active and the password is the SigV4 SMTP password of
   * its secret for `region`. Records the use.
   */
  authenticateSmtp(username: string, password: string, region: string, options: { record?: boolean } = {}): boolean {
    for (const keys of this.users.values()) {
      const key = keys.find((k) => k.id === username);
      if (key === undefined) continue;
      if (key.status !== 'Active' || this.smtpPassword(key, region) !== password) return false;
      if (options.record !== false) key.lastUsed = new Date(this.clock.now());
      return true;
    }
    return false;
  }

  /** Whether a configured credential (a relay's, a manual consumer's) authenticates now, without recording a use. */
  holdsWorkingKey(
    credential: { readonly username: string; readonly password: string; readonly region: string } | undefined,
  ): boolean {
    return (
      credential !== undefined &&
      this.authenticateSmtp(credential.username, credential.password, credential.region, { record: false })
    );
  }

  /** The key's SES SMTP password for `region` (derived on first use, then remembered). */
  smtpPassword(key: FakeAccessKey, region: string): string {
    let byRegion = this.passwords.get(key);
    if (byRegion === undefined) this.passwords.set(key, (byRegion = new Map()));
    let password = byRegion.get(region);
    if (password === undefined) byRegion.set(region, (password = deriveSmtpPassword(key.secret, region)));
    return password;
  }

  listAccessKeys(input: ListAccessKeysCommandInput): Output<ListAccessKeysCommandOutput> {
    const keys = this.user(input.UserName);
    return {
      AccessKeyMetadata: keys.map((k) => ({
        UserName: input.UserName,
        AccessKeyId: k.id,
        Status: k.status,
        CreateDate: k.created,
      })),
      IsTruncated: false,
    };
  }

  createAccessKey(input: CreateAccessKeyCommandInput): Output<CreateAccessKeyCommandOutput> {
    const userName = input.UserName ?? '';
    if (this.user(userName).length >= ACCESS_KEYS_PER_USER) {
      throw new LimitExceededException({ message: 'Cannot exceed quota for AccessKeysPerUser: 2', ...meta });
    }
    const key = this.mint(userName);
    return {
      AccessKey: {
        UserName: userName,
        AccessKeyId: key.id,
        Status: 'Active',
        SecretAccessKey: key.secret,
        CreateDate: key.created,
      },
    };
  }

  deleteAccessKey(input: DeleteAccessKeyCommandInput): Output<DeleteAccessKeyCommandOutput> {
    const keys = this.user(input.UserName);
    const index = keys.findIndex((k) => k.id === input.AccessKeyId);
    if (index < 0) throw noSuchEntity(`The Access Key with id ${input.AccessKeyId} cannot be found.`);
    keys.splice(index, 1);
    return {};
  }

  updateAccessKey(input: UpdateAccessKeyCommandInput): Output<UpdateAccessKeyCommandOutput> {
    const key = this.user(input.UserName).find((k) => k.id === input.AccessKeyId);
    if (!key) throw noSuchEntity(`The Access Key with id ${input.AccessKeyId} cannot be found.`);
    key.status = input.Status === 'Inactive' ? 'Inactive' : 'Active';
    return {};
  }

  getAccessKeyLastUsed(input: GetAccessKeyLastUsedCommandInput): Output<GetAccessKeyLastUsedCommandOutput> {
    for (const [userName, keys] of this.users) {
      const key = keys.find((k) => k.id === input.AccessKeyId);
      if (!key) continue;
      return {
        UserName: userName,
        AccessKeyLastUsed: key.lastUsed
          ? {
              LastUsedDate: key.lastUsed,
              ServiceName: key.lastUsedService ?? 'ses',
              Region: key.lastUsedRegion ?? 'eu-west-1',
            }
          : { ServiceName: 'N/A', Region: 'N/A', LastUsedDate: undefined },
      };
    }
    throw noSuchEntity(`The Access Key with id ${input.AccessKeyId} cannot be found.`);
  }

  private user(userName: string | undefined): FakeAccessKey[] {
    const keys = userName === undefined ? undefined : this.users.get(userName);
    if (!keys) throw noSuchEntity(`The user with name ${userName} cannot be found.`);
    return keys;
  }

  private mint(userName: string): FakeAccessKey {
    this.counter += 1;
    // Obviously fake ids (they contain EXAMPLE, like AWS's documentation keys), so nothing that leaks from a test looks like a real key.
    const id = `AKIAEXAMPLE${String(this.counter).padStart(9, '0')}`;
    const key: FakeAccessKey = {
      id,
      secret: randomBytes(30).toString('base64'),
      status: 'Active',
      created: new Date(this.clock.now()),
    };
    this.user(userName).push(key);
    this.everMinted.push(key);
    return key;
  }
}

function noSuchEntity(message: string): NoSuchEntityException {
  return new NoSuchEntityException({ message, ...meta });
}
