import { describeMtaUpdateContract, type MtaUnderTest } from './harness/mta-contract';
import { describeWithPeer } from './harness/peers';
import { createSendmailInstance, SENDMAIL_RELAY_NAME } from './harness/sendmail-instance';

// One real Sendmail 8 (Debian's binaries, sendmail.cf built by m4 from Debian's sendmail-cf) for this file,
// relaying through SMART_HOST with AUTH (FEATURE(authinfo), a hash map built by makemap) over STARTTLS.
const SENDMAIL: MtaUnderTest = {
  mta: 'sendmail',
  name: 'Sendmail',
  relayName: SENDMAIL_RELAY_NAME,
  create: (relay) => createSendmailInstance({ relayPort: relay.port, caPem: relay.caPem }),
  credentialText: (cred) =>
    [
      '# SES relay credentials',
      'AuthInfo:backup.example.net "U:root" "I:backupuser" "P:backup-password" "M:PLAIN"',
      `AuthInfo:${SENDMAIL_RELAY_NAME} "U:root" "I:${cred.user}" "P:${cred.pass}" "M:PLAIN"`,
      '',
    ].join('\n'),
  installedAt: (s) => `relayhost=${SENDMAIL_RELAY_NAME}:${s.relay.port} map=hash`,
  // Sendmail opens the authinfo map at start-up: the step HUPs a running daemon.
  reload: { running: 'done', stopped: 'not-running' },
  installedFiles: ['authinfo', 'authinfo.db'],
  fileMode: 0o600,
  indexFile: (mta) => `${mta.credentialFile}.db`,
  probe: 'makemap',
  failingMv: 2, // the source, after the map: half-way through the pair
};

describeWithPeer('sendmail', 'Sendmail step of the document (real Sendmail 8, authinfo map)', () => {
  describeMtaUpdateContract(SENDMAIL);
});
