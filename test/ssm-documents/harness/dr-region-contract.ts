import type { MtaHost, MtaUnderTest } from './mta-contract';
import type { MtaInstance } from './mta-instance';
import { expectNoSecretIn, newCredential, type TestCredential } from './scenario';

const PRIMARY_ENDPOINT = 'email-smtp.eu-west-1.amazonaws.com';
const DR_ENDPOINT = 'email-smtp.eu-central-1.amazonaws.com';

/**
 * The secret's reading is shared by every MTA (common.sh): a relay whose relay host is an additional region's
 * endpoint (the local relay stands in for it) installs that region's password, one that is neither endpoint changes
 * nothing, and one at the primary endpoint still gets the primary password. Runs on the contract's instance.
 */
export function describeDrRegionContract<I extends MtaInstance>(t: MtaUnderTest<I>, h: MtaHost<I>): void {
  describe('relay pointed at an additional region', () => {
    it(`installs the additional region's password, verified at its endpoint, and ${t.name} relays with it`, async () => {
      // Prepare: the primary password is for eu-west-1; the relay (the DR endpoint) accepts only the DR password.
      h.reset();
      const primary = newCredential();
      const dr: TestCredential = { user: primary.user, pass: newCredential().pass };
      h.s.relay.accepted = [h.OLD, dr];
      const versionId = h.s.storeVersion(primary, PRIMARY_ENDPOINT, [
        { region: 'eu-central-1', endpoint: t.relayName, password: dr.pass },
      ]);

      const run = await h.s.runStep(versionId);

      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`relay host ${t.relayName} is the endpoint of additional region eu-central-1`);
      expect(run.resultLine).toBe(h.updated(dr));
      h.expectInstalled(t.credentialText(dr, h.s.mta));
      expect(h.s.mta.lookup()).toBe(`${dr.user}:${dr.pass}`);
      h.s.relay.accepted = [dr];
      expect(await h.s.deliver(`${t.mta} through the DR endpoint`)).toBe(dr.user);
      expectNoSecretIn(run, h.s.secretsUsed);

      // A second run finds the DR password installed: nothing to do (idempotent).
      const again = await h.s.runStep(versionId);
      expect(again.resultLine).toBe(h.unchanged(dr));
    });

    it('changes nothing and names both endpoints when the relay host is neither', async () => {
      const text = h.reset();
      const versionId = h.s.storeVersion(newCredential(), PRIMARY_ENDPOINT, [
        { region: 'eu-central-1', endpoint: DR_ENDPOINT, password: newCredential().pass },
      ]);

      const run = await h.s.runStep(versionId);

      expect(run.code).toBe(1);
      expect(run.resultLine).toMatch(new RegExp(` status=failed mta=${t.mta} reason=endpoint-mismatch `));
      expect(run.stderr).toContain(`${PRIMARY_ENDPOINT} or an additional region's endpoint (${DR_ENDPOINT})`);
      h.expectInstalled(text);
      expect(h.s.mta.lookup()).toBe(`${h.OLD.user}:${h.OLD.pass}`);
      expectNoSecretIn(run, h.s.secretsUsed);
    });

    it('still installs the primary password when the relay host is the primary endpoint', async () => {
      h.reset();
      const primary = newCredential();
      h.s.relay.accepted = [h.OLD, primary];
      const versionId = h.s.storeVersion(primary, t.relayName, [
        { region: 'eu-central-1', endpoint: DR_ENDPOINT, password: newCredential().pass },
      ]);

      const run = await h.s.runStep(versionId);

      expect(run.code).toBe(0);
      expect(run.stdout).not.toContain('additional region');
      expect(run.resultLine).toBe(h.updated(primary));
      expect(h.s.mta.lookup()).toBe(`${primary.user}:${primary.pass}`);
      expectNoSecretIn(run, h.s.secretsUsed);
    });
  });
}
