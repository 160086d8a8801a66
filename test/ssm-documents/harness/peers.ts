import { userInfo } from 'node:os';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Exim and Sendmail conflict with Postfix as Debian packages (mail-transport-agent), so scripts/install-test-peers.sh
 * unpacks them (dpkg -x) here and the tests run them from there with throw-away configurations.
 */
export const PEERS_DIR = '/opt/ses-smtp-rotation-test-peers';
export const EXIM_SBIN = join(PEERS_DIR, 'exim4', 'usr', 'sbin');
export const SENDMAIL_ROOT = join(PEERS_DIR, 'sendmail');
export const SENDMAIL_BIN = join(SENDMAIL_ROOT, 'usr', 'libexec', 'sendmail');

/** Why the unpacked `mta` cannot run here, or undefined when it can. */
export function peerUnavailableReason(mta: 'exim' | 'sendmail'): string | undefined {
  if (userInfo().uid !== 0) return `the ${mta} document tests need root (the daemon starts as root)`;
  const needed =
    mta === 'exim'
      ? [join(EXIM_SBIN, 'exim4'), join(EXIM_SBIN, 'update-exim4.conf')]
      : [join(SENDMAIL_BIN, 'sendmail'), join(SENDMAIL_BIN, 'makemap'), '/usr/bin/m4', '/usr/bin/unshare'];
  for (const file of needed) {
    if (!existsSync(file)) return `${file} is missing: run scripts/install-test-peers.sh as root`;
  }
  return undefined;
}

/**
 * `describe` for tests that need `what` (a real daemon, PowerShell): runs them when `reason` is undefined; under CI
 * a missing peer fails (a skipped suite would pass silently), elsewhere the suite is skipped with a loud message.
 */
export function describeWhenAvailable(what: string, reason: string | undefined, name: string, body: () => void): void {
  if (reason === undefined) {
    describe(name, body);
  } else if (process.env.CI === 'true') {
    describe(name, () => {
      it(`needs ${what}`, () => {
        throw new Error(`${reason} (CI must run the tests that need ${what})`);
      });
    });
  } else {
    process.stderr.write(`\n*** SKIPPING "${name}": ${reason} ***\n\n`);
    describe.skip(name, body);
  }
}

/** `describe` for tests that need a real Exim or Sendmail (see {@link describeWhenAvailable}). */
export function describeWithPeer(mta: 'exim' | 'sendmail', name: string, body: () => void): void {
  describeWhenAvailable(`a real ${mta}`, peerUnavailableReason(mta), name, body);
}
