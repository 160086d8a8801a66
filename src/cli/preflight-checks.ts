/**
 * The checks of `preflight`, each answering one question an operator has before the first rotation (or after a
 * change): is the secret readable, is rotation attached, would the function accept this secret, can a key be
 * minted, do the targets reach online nodes, does the document exist, is the SMTP endpoint reachable. Each check
 * reports its own AWS error (call, resource, region, fix) and the others still run; a check that depends on a
 * failed one is skipped with the reason, so one root cause is not reported five times.
 */
import type { Clock } from '../core/clock';
import { maskKeyId } from '../core/mask';
import { describeTargets } from '../aws/fleet-targets';
import type { RotationConfig } from '../rotation/config';
import { regionOfArn, type AwsClients } from './aws-clients';
import { problemOf } from './aws-errors';
import { documentExists, managedNodes, platformSummary } from './fleet-inventory';
import { plural } from './format';
import type { CliRuntime } from './runtime';
import { readLabelled, recordedKeys, refusalOf, type Labelled } from './secret-facts';
import { readFunctionState, readSecretState, rotationUnfinished, userOf, type SecretState } from './secret-state';
import { keyProblem, readUserKeys } from './user-keys';
import { AwsCallError } from './errors';

/** One line of the preflight report. */
export interface Check {
  readonly name: string;
  readonly status: 'ok' | 'problem' | 'skipped';
  readonly detail: string;
  readonly fix?: string;
}

/** The checks, in the order they are reported. */
export const CHECK_NAMES = ['secret', 'rotation', 'function', 'keys', 'targets', 'document', 'smtp-endpoint'] as const;

type Runtime = Pick<CliRuntime, 'resolve' | 'checkSmtp'> & { clock: Clock };

/** Collects check lines; a failed AWS call becomes a problem naming the call and the fix. */
class Checks {
  readonly list: Check[] = [];
  ok(name: string, detail: string): void {
    this.list.push({ name, status: 'ok', detail });
  }
  problem(name: string, detail: string, fix: string): void {
    this.list.push({ name, status: 'problem', detail, fix });
  }
  failed(name: string, error: unknown, fallbackFix: string): void {
    if (error instanceof AwsCallError) this.problem(name, error.problem, error.fix);
    else this.problem(name, problemOf(error), fallbackFix);
  }
  skip(names: readonly string[], why: string): void {
    for (const name of names) this.list.push({ name, status: 'skipped', detail: why });
  }
  /** Runs one check; an unexpected error is reported on that check, and the others go on. */
  async run(name: string, fallbackFix: string, check: () => Promise<void>): Promise<void> {
    try {
      await check();
    } catch (error) {
      this.failed(name, error, fallbackFix);
    }
  }
}

/** Runs every check against one secret. Never throws: every failure is a check's problem. */
export async function runChecks(
  clients: AwsClients,
  secretId: string,
  runtime: Runtime,
): Promise<{ secretArn: string; checks: Check[] }> {
  const checks = new Checks();
  let state: SecretState;
  try {
    state = await readSecretState(clients.secrets, secretId, clients.region);
  } catch (error) {
    const hint = crossRegionHint(secretId, clients.region);
    if (error instanceof AwsCallError) checks.problem('secret', error.problem, hint ?? error.fix);
    else checks.failed('secret', error, 'check --secret-id, --region and --profile');
    checks.skip(CHECK_NAMES.slice(1), 'the secret could not be read');
    return { secretArn: secretId, checks: checks.list };
  }
  let labelled: Labelled | undefined;
  try {
    labelled = await readLabelled(clients.secrets, state, clients.region);
    secretCheck(checks, state, labelled);
  } catch (error) {
    checks.failed('secret', error, 'check the permissions on the secret and its KMS key');
  }
  rotationCheck(checks, state, secretId);
  if (!state.rotationLambdaArn) {
    checks.skip(CHECK_NAMES.slice(2), 'no rotation function to read the settings from');
    return { secretArn: state.arn, checks: checks.list };
  }

  const fnRegion = regionOfArn(state.rotationLambdaArn);
  const fn = await readFunctionState(clients.lambda(fnRegion), state.rotationLambdaArn);
  let config: RotationConfig | undefined;
  if (!fn.ok) {
    checks.problem('function', fn.problem, functionFix(fn.problem));
  } else {
    config = fn.config;
    const refusal = labelled ? refusalOf(config, state, labelled) : undefined;
    if (refusal) {
      checks.problem(
        'function',
        `the rotation function would refuse this secret: ${refusal}`,
        'do what the function says; preflight runs the same checks the function does',
      );
    } else {
      checks.ok(
        'function',
        `environment valid: user ${config.iamUserName}, SES ${config.region}, document ${config.fleet.documentName}`,
      );
    }
  }

  const userName = config?.iamUserName ?? userOf(labelled?.current) ?? (fn.ok ? undefined : fn.iamUserName);
  if (!labelled) checks.skip(['keys'], "the secret's versions could not be read");
  else if (!userName) checks.skip(['keys'], 'the SES user is unknown (the function environment is invalid)');
  else {
    const recorded = labelled;
    await checks.run('keys', 'retry; check the IAM permissions', async () => {
      const keys = await readUserKeys(clients.iam, userName);
      const verdict = keyProblem(keys, recordedKeys(state, recorded), state.lastRotatedDate);
      if (verdict) checks.problem('keys', verdict.problem, verdict.fix);
      else
        checks.ok(
          'keys',
          `${userName} holds ${plural(keys.length, 'key')}${keys.length > 0 ? ` (${keys.map((k) => `${maskKeyId(k.id)} ${k.status}`).join(', ')})` : ''}: the next rotation can mint one`,
        );
    });
  }

  if (!config) {
    checks.skip(['targets', 'document', 'smtp-endpoint'], 'the function environment is invalid');
    return { secretArn: state.arn, checks: checks.list };
  }
  await fleetChecks(checks, clients, fnRegion, config);
  await smtpCheck(checks, runtime, config);
  return { secretArn: state.arn, checks: checks.list };
}

function secretCheck(checks: Checks, state: SecretState, labelled: Labelled): void {
  const current = labelled.current;
  if (current?.kind === 'unreadable') {
    checks.problem(
      'secret',
      `AWSCURRENT does not parse: ${current.problem}`,
      'store settings only, e.g. {"region": "eu-west-1", "iamUserName": "ses-smtp-sender"}, or a credential the rotation wrote',
    );
  } else if (current?.kind === 'credential') {
    checks.ok(
      'secret',
      `${state.name}: AWSCURRENT holds key ${maskKeyId(current.credential.username)} for ${current.credential.endpoint}:${current.credential.port}`,
    );
  } else {
    checks.ok(
      'secret',
      `${state.name}: ${current ? `${current.kind} value` : 'no value yet'}; fine for a first rotation`,
    );
  }
}

function rotationCheck(checks: Checks, state: SecretState, secretId: string): void {
  if (rotationUnfinished(state)) {
    checks.problem(
      'rotation',
      `a previous rotation is not complete (AWSPENDING on ${state.pending})`,
      `see ses-smtp-rotation status --secret-id ${secretId}; it resumes on the next attempt`,
    );
  } else if (!state.rotationLambdaArn || !state.rotationEnabled) {
    checks.problem(
      'rotation',
      'rotation is not enabled or no rotation function is attached',
      'deploy the ses-smtp-rotation construct for this secret',
    );
  } else {
    checks.ok('rotation', `enabled, function ${state.rotationLambdaArn}`);
  }
}

async function fleetChecks(
  checks: Checks,
  clients: AwsClients,
  region: string | undefined,
  config: RotationConfig,
): Promise<void> {
  const ssm = clients.ssm(region);
  await checks.run('targets', 'retry; check the SSM permissions', async () => {
    const nodes = await managedNodes(ssm, config.fleet, region);
    const offline = nodes.filter((n) => n.pingStatus !== 'Online');
    if (nodes.length === 0) {
      checks.problem(
        'targets',
        `no managed node ${describeTargets(config.fleet)}`,
        'tag the relays (or fix FLEET_TARGET_TAGS / FLEET_INSTANCE_IDS) and check their SSM Agent in Fleet Manager',
      );
    } else if (offline.length > 0) {
      checks.problem(
        'targets',
        `${plural(offline.length, 'node')} of ${nodes.length} not online: ${offline
          .slice(0, 10)
          .map((n) => `${n.instanceId} (${n.pingStatus})`)
          .join(', ')}${offline.length > 10 ? ` and ${offline.length - 10} more` : ''}`,
        'start the instances or their SSM Agent, or untag nodes that are gone: the push waits for every target',
      );
    } else {
      checks.ok('targets', `${plural(nodes.length, 'managed node')} online (${platformSummary(nodes)})`);
    }
  });
  await checks.run('document', 'retry; check the SSM permissions', async () => {
    if (await documentExists(ssm, config.fleet.documentName, region)) {
      checks.ok('document', `${config.fleet.documentName} exists`);
    } else {
      checks.problem(
        'document',
        `SSM document ${config.fleet.documentName} does not exist in this account and region`,
        'deploy the construct (it creates the document) or fix FLEET_DOCUMENT_NAME',
      );
    }
  });
}

/** Every SMTP endpoint the rotation proves: the primary one, then each additional region's (one line each). */
async function smtpCheck(checks: Checks, runtime: Runtime, config: RotationConfig): Promise<void> {
  for (const host of [config.endpoint, ...(config.additionalRegions ?? []).map((r) => r.endpoint)]) {
    await smtpCheckOf(checks, runtime, host, config.port);
  }
}

async function smtpCheckOf(checks: Checks, runtime: Runtime, host: string, port: number): Promise<void> {
  let addresses: string[];
  try {
    addresses = await runtime.resolve(host);
  } catch (error) {
    checks.problem(
      'smtp-endpoint',
      `${host} does not resolve (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      'check SMTP_ENDPOINT / SES_REGION / SES_ADDITIONAL_REGIONS and the DNS of the network the function runs in',
    );
    return;
  }
  await checks.run('smtp-endpoint', 'retry from a machine that can reach the endpoint', async () => {
    const reply = await runtime.checkSmtp(host, port);
    if (reply.ok) checks.ok('smtp-endpoint', `${host}:${port} (${addresses.join(', ')}): ${reply.detail}`);
    else
      checks.problem(
        'smtp-endpoint',
        `${host}:${port}: ${reply.detail}`,
        'check the port and TLS mode (587 STARTTLS, 465 TLS), security groups, NACLs, NAT or the email-smtp VPC endpoint; port 25 is restricted on EC2 and Lambda',
      );
  });
}

function functionFix(problem: string): string {
  return problem.startsWith("cannot read the rotation function's configuration")
    ? 'grant lambda:GetFunctionConfiguration on the rotation function (README, "Operator CLI", permissions)'
    : 'set the variable as described (redeploy the construct with valid props)';
}

/** When the secret is an ARN of another region than the one called: the likely cause of "not found". */
export function crossRegionHint(secretId: string, region: string | undefined): string | undefined {
  const arnRegion = regionOfArn(secretId);
  if (!arnRegion || !region || arnRegion === region) return undefined;
  return (
    `the secret ARN is in ${arnRegion} but the call went to ${region} (from --region, AWS_REGION or ` +
    `AWS_DEFAULT_REGION): pass --region ${arnRegion}, or drop the override so the ARN's region is used`
  );
}
