import { RESULT_MARKER } from '../../src/core/document-contract';
import { createEximInstance } from './harness/exim-instance';
import { describeMtaUpdateContract, type MtaUnderTest } from './harness/mta-contract';
import { describeWithPeer } from './harness/peers';
import { newCredential } from './harness/scenario';

// One real Exim (Debian's package, its own exim4.conf.template through update-exim4.conf) for this file, relaying
// with AUTH over verified STARTTLS to a local relay; credentials in passwd.client as Debian documents them.
const EXIM: MtaUnderTest = {
  mta: 'exim',
  name: 'Exim',
  relayName: 'localhost',
  create: (relay) => createEximInstance({ relayPort: relay.port, caPem: relay.caPem }),
  credentialText: (cred) =>
    [
      '# password file used when the local exim is authenticating to a remote host as a client.',
      'backup.example.net:backupuser:backup-password',
      `localhost:${cred.user}:${cred.pass}`,
      '',
    ].join('\n'),
  installedAt: (s) => `relayhost=localhost:${s.relay.port} file=${s.mta.credentialFile}`,
  // Exim reads passwd.client at every delivery: nothing to reload.
  reload: { running: 'not-needed', stopped: 'not-needed' },
  installedFiles: ['passwd.client'],
  fileMode: 0o640, // root:Debian-exim, as Debian ships it: Exim reads it after dropping root
  indexFile: (mta) => mta.credentialFile,
  probe: 'exim4',
  failingMv: 1, // one file, one rename
};

describeWithPeer('exim', 'Exim step of the document (real Exim 4, Debian configuration)', () => {
  const host = describeMtaUpdateContract(EXIM);

  it('refuses to guess (Mta=auto) when Postfix is installed too', async () => {
    // Prepare: this machine's Postfix is in /usr/sbin.
    const text = host.reset();

    // Act
    const run = await host.s.runStep(host.s.storeVersion(newCredential()), {
      parameters: { Mta: 'auto' },
      basePath: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    });

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('several mail servers are installed (postfix exim): set the Mta parameter');
    expect(run.resultLine).toBe(`${RESULT_MARKER} status=failed mta=- reason=ambiguous-mta rollback=not-needed key=-`);
    host.expectInstalled(text);
  });
});
