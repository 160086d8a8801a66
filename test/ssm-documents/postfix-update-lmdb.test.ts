import { readdirSync, readFileSync } from 'node:fs';
import { RESULT_MARKER } from '../../src/core/document-contract';
import { maskKeyId } from '../../src/core/mask';
import { lmdbAvailable } from './harness/postfix-instance';
import {
  describeWithPostfix,
  expectNoSecretIn,
  newCredential,
  startScenario,
  type Scenario,
  type TestCredential,
} from './harness/scenario';

// lmdb is the map type of distributions without Berkeley DB. LMDB keeps replaced values in free pages, so the
// document must build a fresh map beside the old one instead of updating it in place.
describeWithPostfix('Postfix step of the document (lmdb map, real Postfix)', () => {
  const OLD: TestCredential = newCredential();
  let s: Scenario | undefined;
  const available = lmdbAvailable();
  if (!available && process.env.CI !== 'true') {
    process.stderr.write('\n*** SKIPPING lmdb document tests: postfix-lmdb is not installed ***\n\n');
  }
  const itLmdb = available || process.env.CI === 'true' ? it : it.skip;

  beforeAll(async () => {
    if (available) s = await startScenario('lmdb', OLD);
  });
  afterAll(async () => {
    await s?.destroy();
  });

  function scenario(): Scenario {
    if (!s) throw new Error('Postfix on this machine cannot open lmdb maps: install postfix-lmdb');
    return s;
  }

  itLmdb('replaces the credential with a fresh map that holds no trace of the old password', async () => {
    // Prepare
    const sc = scenario();
    sc.postfix.writeMap(`${sc.postfix.relayhost} ${OLD.user}:${OLD.pass}\n`);
    sc.relay.accepted = [OLD];
    expect(await sc.deliver('lmdb before rotation')).toBe(OLD.user);
    const NEW = newCredential();
    sc.relay.accepted = [OLD, NEW];
    const versionId = sc.storeVersion(NEW);

    // Act
    const run = await sc.runStep(versionId);

    // Assess
    expect(run.code).toBe(0);
    expect(run.resultLine).toBe(
      `${RESULT_MARKER} status=updated mta=postfix key=${maskKeyId(NEW.user)} relayhost=${sc.postfix.relayhost} ` +
        'map=lmdb auth=verified reload=done',
    );
    expect(sc.postfix.lookup()).toBe(`${NEW.user}:${NEW.pass}`);
    expect(readFileSync(`${sc.postfix.mapPath}.lmdb`).includes(OLD.pass)).toBe(false);
    expect(
      readdirSync(sc.postfix.configDir)
        .filter((f) => /sasl/.test(f))
        .sort(),
    ).toEqual(['sasl_passwd', 'sasl_passwd.lmdb']);
    sc.relay.accepted = [NEW];
    expect(await sc.deliver('lmdb after rotation')).toBe(NEW.user);
    expectNoSecretIn(run, sc.secretsUsed);
  });

  itLmdb('leaves the lmdb map untouched when the relay rejects the new credential', async () => {
    // Prepare
    const sc = scenario();
    sc.postfix.writeMap(`${sc.postfix.relayhost} ${OLD.user}:${OLD.pass}\n`);
    sc.relay.accepted = [OLD];
    const before = readFileSync(`${sc.postfix.mapPath}.lmdb`);
    const versionId = sc.storeVersion(newCredential());

    // Act
    const run = await sc.runStep(versionId);

    // Assess
    expect(run.code).toBe(1);
    expect(run.resultLine).toContain('status=failed mta=postfix reason=relay-rejected');
    expect(readFileSync(`${sc.postfix.mapPath}.lmdb`).equals(before)).toBe(true);
    expect(await sc.deliver('lmdb after refused rotation')).toBe(OLD.user);
    expectNoSecretIn(run, sc.secretsUsed);
  });
});
