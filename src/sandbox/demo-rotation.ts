import { RESULT_MARKER } from '../core/document-contract';
import { maskKeyId } from '../core/mask';
import type { SmtpProbe } from '../rotation/ports';
import type { SandboxAccount } from './account';
import type { DemoOptions } from './demo';
import type { ManualProof } from './demo-manual';
import { crashPlan, narratingLog, wireProgress } from './demo-narration';
import { prove, provenHosts, smtpLogin } from './demo-proof';
import { fleetMix, manualOnlyReport, MTA_NAMES, runSummaries, virtualSeconds, type DemoReport } from './demo-report';
import { continueRotation, runRotation, type DriverOptions, type RotationRun } from './rotation-driver';
import type { SesLikeSmtpEndpoint } from './smtp-endpoint';

/**
 * The demo's run once the endpoints listen: the sandbox is introduced, the rotation runs (with the failing relay,
 * the crash, the manual consumers and the staged retirement when asked for), and the result is proven over SMTP.
 */
export async function rotateAndProve(
  account: SandboxAccount,
  [ses, drSes]: SesLikeSmtpEndpoint[],
  probe: SmtpProbe,
  hostCount: number,
  options: DemoOptions,
  print: (line: string) => void,
): Promise<DemoReport> {
  const login = smtpLogin(probe, account.clock);
  const { platforms, mtas } = fleetMix(account);
  const consoleKey = account.iam.keys(account.userName)[0];
  const oldCredential = account.installed.get(account.hosts[0]?.instanceId ?? '');
  print(
    `Sandbox: SES user ${account.userName} with one console-made key ${maskKeyId(consoleKey?.id ?? '')} on every host.`,
  );
  print(
    `Fleet: ${hostCount} relays (${Object.entries(platforms)
      .map(([p, n]) => `${n} ${p}`)
      .join(', ')}; ${Object.entries(mtas)
      .map(([m, n]) => `${n} ${MTA_NAMES[m] ?? m}`)
      .join(', ')}), tag Role=smtp-relay.`,
  );
  print(`SES-like SMTP endpoint on 127.0.0.1:${account.port} (STARTTLS, certificate from a CA made for this run).`);
  const dr = account.additionalRegion;
  const drRelays = account.hosts.filter((h) => h.relayHost !== undefined).length;
  if (dr && drSes) {
    print(
      `DR region ${dr.region}: a second SES-like endpoint on 127.0.0.1:${drSes.port} stands in for ${dr.endpoint}; it`,
    );
    print(
      `  accepts only ${dr.region} passwords. ${drRelays} relays (every other one) relay to it and install that region's password.`,
    );
  }
  print('');

  const failing = options.failHost !== undefined ? account.hosts[options.failHost - 1] : undefined;
  if (options.failHost !== undefined && !failing)
    throw new RangeError(`--fail-host must be between 1 and ${hostCount}`);
  if (failing) failing.behaviour = { kind: 'fail', output: `${RESULT_MARKER} status=failed reason=relayhost-mismatch` };

  wireProgress(account, print);
  const driver: DriverOptions = {
    maxAttempts: failing ? 2 : 4,
    handler: { probe, log: narratingLog(account, print) },
    onInvocation: (o) =>
      print(
        `  ${o.result === 'ok' ? '✓' : o.result === 'crashed' ? '✗ crashed' : '✗ failed'} ${o.step} (attempt ${o.attempt})${o.error ? `: ${o.error.message}` : ''}`,
      ),
    ...crashPlan(account, options.crashAt, print),
  };
  const runs: RotationRun[] = [];
  // The manual and retirement acts (and the CLI commands they run) load only when asked for.
  const manualAct = options.manual ? await import('./demo-manual') : undefined;
  const manualNames = manualAct && options.manual ? manualAct.registerManualConsumers(account, options.manual) : [];
  if (manualNames.length > 0) {
    print(`Manual consumers (changed by hand, confirmed with the CLI): ${manualNames.join(', ')}; on the old key.`);
    print('');
  }
  print(
    'Rotation 1: Secrets Manager calls the rotation Lambda (createSecret → setSecret → testSecret → finishSecret).',
  );
  runs.push(await runRotation(account, driver));
  if (failing && !runs[0]?.succeeded) {
    const current = account.secrets.versionWithStage('AWSCURRENT');
    print('');
    print(
      `The push failed on ${failing.instanceId}: nothing was promoted (AWSCURRENT is still ${current ?? 'the settings-only version'}),`,
    );
    print(
      `the old key ${maskKeyId(consoleKey?.id ?? '')} is still active, and every relay can still send: ${await provenHosts(account, login)}/${hostCount}.`,
    );
    print(`An operator fixes ${failing.instanceId}; Secrets Manager retries the same rotation.`);
    failing.behaviour = { kind: 'run' };
    print('');
    runs.push(await continueRotation(account, runs[0]!.token, { ...driver, ...crashPlan(account, undefined, print) }));
  }

  let manual: ManualProof | undefined;
  if (manualAct && manualNames.length > 0 && runs.at(-1)?.succeeded) {
    const shown = await manualAct.demoManual(
      account,
      runs.at(-1)!,
      { names: manualNames, silent: options.manualSilent === true, login, driver },
      print,
    );
    manual = shown.proof;
    if (shown.resumed) runs.push(shown.resumed);
    if (options.manualSilent) {
      // Measured as in the full proof; the old password still works by design (nothing was promoted).
      const hostsAuthenticated = await provenHosts(account, login);
      return manualOnlyReport(account, { hostCount, hostsAuthenticated, platforms, mtas }, runs, manual);
    }
  }

  const audit = account.notifications.filter((n) => n.subject?.includes('rotated')).at(-1)?.message;
  const retirement =
    account.retirement === 'staged' && oldCredential && runs.at(-1)?.succeeded
      ? await (
          await import('./demo-retirement')
        ).demoRetirement(account, login, oldCredential, print, { stray: options.strayConsumer === true })
      : undefined;
  const proof = await prove(account, login, oldCredential, hostCount);
  print('');
  print('Audit trail (the notification an operator receives):');
  for (const line of (audit ?? '(no notification: the rotation did not complete)')
    .split('\n')
    .slice(0, audit?.includes('Manual consumers') ? 15 : 10))
    print(`  ${line}`);
  print('');
  print(
    `Proof: ${proof.hostsAuthenticated}/${proof.hosts} relays hold a credential that authenticates over SMTP (STARTTLS + AUTH);`,
  );
  print(
    `       the old password is ${proof.oldPasswordRejected ? 'rejected (535)' : 'STILL ACCEPTED'}; the user has ${proof.keysOnUser} key${proof.keysOnUser === 1 ? '' : 's'}.`,
  );
  const ok =
    runs.at(-1)?.succeeded === true &&
    proof.hostsAuthenticated === hostCount &&
    proof.oldPasswordRejected &&
    proof.keysOnUser === 1 &&
    (retirement?.ok ?? true) &&
    (manual?.ok ?? true);
  const attempts = drSes
    ? `${ses!.authAttemptCount} (primary) and ${drSes.authAttemptCount} (${dr?.region})`
    : `${ses!.authAttemptCount}`;
  print(
    `SMTP AUTH attempts seen by the endpoint: ${attempts}. AWS API calls made by the Lambda: ${account.recorder.calls.length}.`,
  );
  return {
    hosts: hostCount,
    platforms,
    mtas,
    endpoint: `127.0.0.1:${account.port}`,
    ...(dr &&
      drSes && {
        drRegion: { region: dr.region, endpoint: dr.endpoint, servedAt: `127.0.0.1:${drSes.port}`, relays: drRelays },
      }),
    runs: runSummaries(runs),
    ...(failing ? { failedHost: failing.instanceId } : {}),
    ...(options.crashAt ? { crashAt: options.crashAt } : {}),
    ...(audit ? { audit } : {}),
    proof,
    ...(retirement ? { retirement } : {}),
    ...(manual ? { manual } : {}),
    apiCalls: account.recorder.calls.length,
    virtualSeconds: virtualSeconds(account),
    ok,
  };
}
