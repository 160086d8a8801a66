/**
 * How the demo proves its result: real STARTTLS + AUTH logins against the SES-like endpoint with the credentials
 * the relays hold, and the old password refused.
 */
import { Deadline, type Clock } from '../core/clock';
import type { SmtpCredential } from '../core/secret';
import type { SmtpProbe } from '../rotation/ports';
import type { SandboxAccount } from './account';

/** What the demo proved at the end. */
export interface DemoProof {
  readonly hostsAuthenticated: number;
  readonly hosts: number;
  readonly oldPasswordRejected: boolean;
  readonly keysOnUser: number;
}

export async function prove(
  account: SandboxAccount,
  login: Login,
  old: SmtpCredential | undefined,
  hosts: number,
): Promise<DemoProof> {
  const hostsAuthenticated = await provenHosts(account, login);
  const oldPasswordRejected = old === undefined ? true : !(await login(old));
  return { hostsAuthenticated, hosts, oldPasswordRejected, keysOnUser: account.iam.keys(account.userName).length };
}

/**
 * How many relays' installed credentials authenticate over real SMTP right now. Relays share credentials (one per
 * version), so each distinct credential is proven once with a real STARTTLS + AUTH, then every relay is checked to
 * hold a proven one: the same guarantee as one login per relay, without hundreds of identical TLS handshakes.
 */
export async function provenHosts(account: SandboxAccount, login: Login): Promise<number> {
  const installed = account.hosts.map((h) => account.installed.get(h.instanceId));
  const distinct = new Map<string, SmtpCredential>();
  for (const c of installed) if (c) distinct.set(`${c.username}\n${c.password}`, c);
  const proven = new Set<string>();
  await Promise.all(
    [...distinct].map(async ([key, credential]) => {
      if (await login(credential)) proven.add(key);
    }),
  );
  return installed.filter((c) => c && proven.has(`${c.username}\n${c.password}`)).length;
}

/** One real STARTTLS + AUTH with a credential: true when accepted. */
export type Login = (credential: SmtpCredential) => Promise<boolean>;

/** Logins through the probe, with deadlines on the clock the probe waits on (the sandbox's). */
export function smtpLogin(probe: SmtpProbe, clock: Clock): Login {
  return async (c) => {
    try {
      // No retry window: the sandbox needs no propagation time, so a 535 is final.
      await probe.authenticate(
        { host: c.endpoint, port: c.port, region: c.region, username: c.username, password: c.password },
        Deadline.after(clock, 0),
      );
      return true;
    } catch {
      return false;
    }
  };
}
