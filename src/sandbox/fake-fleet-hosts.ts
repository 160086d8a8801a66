/**
 * Simulated managed nodes for the fake SSM: ids, platform, tags, online flag, and a scripted behaviour that
 * overrides the host hook (failures, timeouts, undeliverable, …). Mutable, so a test can "fix" a host between two
 * rotations.
 */
import type { SendCommandCommandInput } from '@aws-sdk/client-ssm';
import { RESULT_MARKER } from '../core/document-contract';

/** Platforms a managed node reports. */
export type HostPlatform = 'Linux' | 'Windows' | 'MacOS';

/** What a host does when the command reaches it. `run` (the default) calls the injected host hook. */
export type HostBehaviour =
  | { readonly kind: 'run' }
  | { readonly kind: 'fail'; readonly output?: string; readonly exitCode?: number }
  | { readonly kind: 'execution-timeout' }
  | { readonly kind: 'undeliverable' }
  | { readonly kind: 'invalid-platform' }
  | { readonly kind: 'access-denied' }
  /** Sending to the agent fails and SSM retries for `delayedMs`, then the host runs normally. */
  | { readonly kind: 'delayed'; readonly delayedMs: number };

/** The mail server a node relays with: the document's Linux step picks Postfix, Exim or Sendmail by itself. */
export type HostMta = 'postfix' | 'exim' | 'sendmail' | 'iis';

/** One simulated managed node. */
export interface FakeHost {
  /** `i-` + 8/17 hex (EC2) or `mi-` + 17 hex (hybrid). */
  readonly instanceId: string;
  platform: HostPlatform;
  /** Its MTA (default: Postfix on Linux, IIS SMTP on Windows). */
  mta?: HostMta;
  tags: Record<string, string>;
  /** An offline agent never picks the command up: it ends Delivery Timed Out at the delivery timeout. */
  online: boolean;
  behaviour: HostBehaviour;
  /** How long the document runs on this host (default: the fake's `defaultDurationMs`). */
  durationMs?: number;
  /** The host its MTA relays to (default: the account's primary endpoint); it decides which password it installs. */
  relayHost?: string;
}

/** What the host hook returns: the document's outcome on that host. */
export type HostRunResult =
  | { readonly status: 'Success'; readonly output?: string }
  | { readonly status: 'Failed'; readonly output?: string; readonly exitCode?: number };

/** What the host hook is told: the command and the parameters (secret ARN + version id, never the password). */
export interface HostRunRequest {
  readonly commandId: string;
  readonly documentName: string;
  readonly parameters: Readonly<Record<string, readonly string[]>>;
}

/** Runs the document on one host (the sandbox makes hosts fetch the secret and install it). */
export type HostRunner = (host: FakeHost, request: HostRunRequest) => Promise<HostRunResult>;

/** The default hook: every host succeeds and prints the document's result line. */
export const succeedEverywhere: HostRunner = async (host) => ({
  status: 'Success',
  output: `${RESULT_MARKER} status=updated host=${host.instanceId}`,
});

/** Options of {@link makeHosts}. */
export interface MakeHostsOptions {
  /** Tags every host carries (default `{ Role: 'smtp-relay' }`). */
  readonly tags?: Record<string, string>;
  /** `linux`, `windows`, or `mixed` (every third host Windows). Default `linux`. */
  readonly platforms?: 'linux' | 'windows' | 'mixed';
  /** Make every n-th host a hybrid (`mi-`) node; 0 = none (default). */
  readonly hybridEvery?: number;
  /** First index used for ids, so several batches do not collide (default 1). */
  readonly firstIndex?: number;
  readonly durationMs?: number;
}

/** A host's MTA, with {@link FakeHost.mta}'s default: Postfix on Linux, IIS SMTP on Windows. */
export function hostMta(host: Pick<FakeHost, 'mta' | 'platform'>): HostMta {
  return host.mta ?? (host.platform === 'Windows' ? 'iis' : 'postfix');
}

/** `count` healthy, online hosts with deterministic ids (`i-00000000000000001`, …). */
export function makeHosts(count: number, options: MakeHostsOptions = {}): FakeHost[] {
  const first = options.firstIndex ?? 1;
  const hosts: FakeHost[] = [];
  let linux = 0;
  for (let n = 0; n < count; n += 1) {
    const index = first + n;
    const hybrid = options.hybridEvery ? index % options.hybridEvery === 0 : false;
    const platform = pickPlatform(options.platforms ?? 'linux', index);
    // Linux relays take turns: Postfix, Exim, Sendmail (the three the document's Linux step supports).
    const mta: HostMta = platform === 'Windows' ? 'iis' : LINUX_MTAS[linux++ % LINUX_MTAS.length]!;
    hosts.push({
      instanceId: `${hybrid ? 'mi' : 'i'}-${index.toString(16).padStart(17, '0')}`,
      platform,
      mta,
      tags: { ...(options.tags ?? { Role: 'smtp-relay' }) },
      online: true,
      behaviour: { kind: 'run' },
      ...(options.durationMs !== undefined ? { durationMs: options.durationMs } : {}),
    });
  }
  return hosts;
}

const LINUX_MTAS: readonly HostMta[] = ['postfix', 'exim', 'sendmail'];

function pickPlatform(mix: 'linux' | 'windows' | 'mixed', index: number): HostPlatform {
  if (mix === 'mixed') return index % 3 === 0 ? 'Windows' : 'Linux';
  return mix === 'windows' ? 'Windows' : 'Linux';
}

/** Whether a host matches SSM tag targets: keys ANDed, values within a key ORed. */
export function matchesTags(host: FakeHost, targets: readonly { key: string; values: readonly string[] }[]): boolean {
  return targets.every((t) => {
    const value = host.tags[t.key];
    return value !== undefined && t.values.includes(value);
  });
}

/**
 * The hosts a SendCommand reaches, in target order: explicit node ids (an id SSM does not manage becomes an
 * Undeliverable ghost), or every known host matching the tag targets.
 */
export function targetedHosts(
  input: Pick<SendCommandCommandInput, 'InstanceIds' | 'Targets'>,
  hosts: Iterable<FakeHost>,
): FakeHost[] {
  const explicit = input.InstanceIds?.length ? input.InstanceIds : undefined;
  const ids = explicit ?? input.Targets?.find((x) => x.Key === 'InstanceIds')?.Values;
  const tags = (input.Targets ?? [])
    .filter((x) => x.Key?.startsWith('tag:'))
    .map((x) => ({ key: (x.Key ?? '').slice(4), values: x.Values ?? [] }));
  const known = new Map([...hosts].map((h) => [h.instanceId, h]));
  return ids ? ids.map((id) => known.get(id) ?? ghost(id)) : [...known.values()].filter((h) => matchesTags(h, tags));
}

/** A node id SSM does not know: the command cannot be delivered to it. */
function ghost(instanceId: string): FakeHost {
  return { instanceId, platform: 'Linux', tags: {}, online: true, behaviour: { kind: 'undeliverable' } };
}
