import { readFileSync } from 'node:fs';
import { createEximInstance } from './harness/exim-instance';
import { type MtaScenario, startMtaScenario } from './harness/mta-scenario';
import { describeWithPeer } from './harness/peers';
import { expectNoSecretIn, newCredential, type TestCredential } from './harness/scenario';

// The Exim step shares the secret's reading with Postfix and Sendmail (common.sh): a relay whose smart host is the
// additional region's endpoint (the local relay stands in for it) installs that region's password.
describeWithPeer('exim', 'Exim step of the document, relay pointed at an additional region', () => {
  const OLD: TestCredential = newCredential();
  let s: MtaScenario;
  const passwdText = (cred: TestCredential) => `localhost:${cred.user}:${cred.pass}\n`;

  beforeAll(async () => {
    s = await startMtaScenario(
      'localhost',
      (relay) => createEximInstance({ relayPort: relay.port, caPem: relay.caPem }),
      () => passwdText(OLD),
      OLD,
    );
  }, 30_000);
  afterAll(async () => {
    await s?.destroy();
  });

  it("installs the additional region's password, verified at the DR endpoint, and Exim relays with it", async () => {
    // Prepare
    const primary = newCredential();
    const dr: TestCredential = { user: primary.user, pass: newCredential().pass };
    s.relay.accepted = [OLD, dr];
    const versionId = s.storeVersion(primary, 'email-smtp.eu-west-1.amazonaws.com', [
      { region: 'eu-central-1', endpoint: 'localhost', password: dr.pass },
    ]);
    // Act
    const run = await s.runStep(versionId);
    // Assess
    expect(run.code).toBe(0);
    expect(run.resultLine).toMatch(/ status=updated mta=exim .* auth=verified /);
    expect(run.stdout).toContain('relay host localhost is the endpoint of additional region eu-central-1');
    expect(readFileSync(s.mta.credentialFile, 'utf8')).toBe(passwdText(dr));
    s.relay.accepted = [dr];
    expect(await s.deliver('exim through the DR endpoint')).toBe(dr.user);
    expectNoSecretIn(run, s.secretsUsed);
  });
});
