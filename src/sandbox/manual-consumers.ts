import { parseSecretValue, type SmtpCredential } from '../core/secret';
import type { FakeDynamoDb } from './fake-dynamodb';
import type { FakeIam } from './fake-iam';
import type { FakeSecretsManager } from './fake-secrets-manager';
import { confirmationSortKey, SORT_KEY } from '../aws/consumer-registry';
import { consumerItem } from '../aws/consumer-registry-admin';

/** A manual consumer's configured credential, with the version it came from. */
export interface ManualHolding extends SmtpCredential {
  readonly versionId?: string;
}

/**
 * The systems staff change by hand, simulated: each holds a credential (from day one the same key as the relays);
 * {@link switchTo} is the person pasting the pending credential into it. Registration goes straight into the
 * DynamoDB fake (what `consumers add` writes), so scenarios can set up a registry without the CLI.
 */
export class SandboxManualConsumers {
  /** What each manual consumer has configured, by name. */
  readonly installed = new Map<string, ManualHolding>();

  constructor(
    private readonly deps: {
      readonly dynamodb: FakeDynamoDb;
      readonly secrets: FakeSecretsManager;
      readonly iam: FakeIam;
      readonly table: () => string | undefined;
      readonly now: () => number;
      readonly region: string;
      readonly relayCredential: () => ManualHolding | undefined;
    },
  ) {}

  /** Registers a consumer holding the key the relays have, with the item `consumers add` writes. */
  register(name: string, owner = `${name}-team@example.com`): void {
    const holding = this.deps.relayCredential();
    const table = this.deps.table();
    if (!table) throw new Error('the sandbox account has no registry table (SandboxOptions.registry)');
    this.deps.dynamodb.putItem({
      TableName: table,
      Item: consumerItem(this.deps.secrets.arn, {
        name,
        owner,
        addedAt: new Date(this.deps.now()).toISOString(),
        addedBy: 'arn:aws:iam::111122223333:user/operator',
      }),
    });
    if (holding) this.installed.set(name, holding);
  }

  /** A consumer registered some other way (the CLI) starts out on the relays' key. */
  hold(name: string): void {
    const holding = this.deps.relayCredential();
    if (holding) this.installed.set(name, holding);
  }

  /** A person configures the pending version on the system (fetched with their own identity). */
  switchTo(name: string, versionId: string): void {
    const value = this.deps.secrets.peekValue(versionId);
    const parsed = value ? parseSecretValue(value) : undefined;
    if (parsed?.kind !== 'credential') throw new Error(`version ${versionId} holds no credential`);
    this.installed.set(name, { ...parsed.credential, versionId });
  }

  /** Whether a consumer's configured credential authenticates now (I1). */
  canSend(name: string): boolean {
    return this.deps.iam.holdsWorkingKey(this.installed.get(name));
  }

  /**
   * I4 for manual consumers, at the instant AWSCURRENT moves: every registered consumer has a confirmation for
   * exactly this version. Returns the violations.
   */
  promotionViolations(versionId: string): string[] {
    const table = this.deps.table();
    if (!table) return [];
    const items = this.deps.dynamodb.dump().find((t) => t.name === table)?.items ?? [];
    const mine = items.filter((i) => i.pk?.S === this.deps.secrets.arn);
    const names = mine.flatMap((i) => (i.sk?.S?.startsWith(SORT_KEY.consumer) ? [i.name?.S ?? ''] : []));
    return names
      .filter((name) => !mine.some((i) => i.sk?.S === confirmationSortKey(versionId, name)))
      .map((name) => `AWSCURRENT moved to ${versionId} before manual consumer ${name} confirmed it`);
  }
}
