/**
 * The checks of `preflight`, each answering one question an operator has before the first rotation (or after a
 * change): is the secret readable, is rotation attached, is the function configured, can a key be minted, do the
 * targets reach online nodes, does the document exist, is the SMTP endpoint reachable. A check that depends on a
 * failed one is skipped with the reason, so one root cause is not reported five times.
 */
import { ResourceNotFoundException } from '@aws-sdk/client-secrets-manager';
import type { Clock } from '../core/clock';
import { maskKeyId } from '../core/mask';
import { describeTargets } from '../aws/fleet-targets';
import type { RotationConfig } from '../rotation/config';
import { regionOfArn, type AwsClients } from './aws-clients';
import { plural } from './format';
import { documentExists, managedNodes, platformSummary } from './fleet-inventory';
import type { CliRuntime } from './runtime';
import { readFunctionState, readSecretState, readVersionContent, rotationUnfinished, userOf } from './secret-state';
import { keyProblem, readUserKeys } from './user-keys';

/** One line of the preflight report. */
export interface Check {
  readonly name: string;
  readonly status: 'ok' | 'problem' | 'skipped';
  readonly detail: string;
  readonly fix?: string;
}

/** Runs every check against one secret. */
export async function runChecks(
  clients: AwsClients,
  secretId: string,
  runtime: Pick<CliRuntime, 'resolve' | 'checkSmtp'> & { clock: Clock },
): Promise<{ secretArn: string; checks: Check[] }> {
  const checks: Check[] = [];
  const ok = (name: string, detail: string) => checks.push({ name, status: 'ok', detail });
  const problem = (name: string, detail: string, fix: string) => checks.push({ name, status: 'problem', detail, fix });
  const skip = (names: string[], why: string) =>
    names.forEach((name) => checks.push({ name, status: 'skipped', detail: why }));

  let state;
  try {
    state = await readSecretState(clients.secrets, secretId);
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    problem('secret', `no secret ${secretId} in this account and region`, 'check --secret-id, --region and --profile');
    skip(['rotation', 'function', 'keys', 'targets', 'document', 'smtp-endpoint'], 'the secret was not found');
    return { secretArn: secretId, checks };
  }
  const current = state.current ? await readVersionContent(clients.secrets, state.arn, state.current) : undefined;
  if (current?.kind === 'unreadable') {
    problem(
      'secret',
      `AWSCURRENT does not parse: ${current.problem}`,
      'store settings only, e.g. {"region": "eu-west-1", "iamUserName": "ses-smtp-sender"}, or a credential the rotation wrote',
    );
  } else if (current?.kind === 'credential') {
    ok(
      'secret',
      `${state.name}: AWSCURRENT holds key ${maskKeyId(current.credential.username)} for ${current.credential.endpoint}:${current.credential.port}`,
    );
  } else {
    ok('secret', `${state.name}: ${current ? `${current.kind} value` : 'no value yet'}; fine for a first rotation`);
  }
  if (rotationUnfinished(state)) {
    problem(
      'rotation',
      `a previous rotation is not complete (AWSPENDING on ${state.pending})`,
      `see ses-smtp-rotation status --secret-id ${secretId}; it resumes on the next attempt`,
    );
  } else if (!state.rotationLambdaArn || !state.rotationEnabled) {
    problem(
      'rotation',
      'rotation is not enabled or no rotation function is attached',
      'deploy the ses-smtp-rotation construct for this secret',
    );
  } else {
    ok('rotation', `enabled, function ${state.rotationLambdaArn}`);
  }
  if (!state.rotationLambdaArn) {
    skip(
      ['function', 'keys', 'targets', 'document', 'smtp-endpoint'],
      'no rotation function to read the settings from',
    );
    return { secretArn: state.arn, checks };
  }
  const fnRegion = regionOfArn(state.rotationLambdaArn);
  const fn = await readFunctionState(clients.lambda(fnRegion), state.rotationLambdaArn);
  let config: RotationConfig | undefined;
  if (!fn.ok) {
    problem('function', fn.problem, 'set the variable as described (redeploy the construct with valid props)');
  } else if (fn.config.expectedSecretArn && fn.config.expectedSecretArn !== state.arn) {
    problem(
      'function',
      `EXPECTED_SECRET_ARN names ${fn.config.expectedSecretArn}, not this secret`,
      'attach the function that was deployed for this secret',
    );
  } else if (current?.kind === 'credential' && current.credential.region !== fn.config.region) {
    problem(
      'function',
      `SES_REGION is ${fn.config.region} but AWSCURRENT's password is for ${current.credential.region}`,
      'use one region: SMTP passwords are region-bound',
    );
  } else {
    config = fn.config;
    ok(
      'function',
      `environment valid: user ${config.iamUserName}, SES ${config.region}, document ${config.fleet.documentName}`,
    );
  }

  const userName = config?.iamUserName ?? userOf(current) ?? (fn.ok ? undefined : fn.iamUserName);
  if (userName) {
    const keys = await readUserKeys(clients.iam, userName);
    const recorded = current?.kind === 'credential' ? { current: current.credential.username } : {};
    const verdict = keyProblem(keys, recorded, state.lastRotatedDate);
    if (verdict) problem('keys', verdict.problem, verdict.fix);
    else
      ok(
        'keys',
        `${userName} holds ${plural(keys.length, 'key')}${keys.length > 0 ? ` (${keys.map((k) => `${maskKeyId(k.id)} ${k.status}`).join(', ')})` : ''}: the next rotation can mint one`,
      );
  } else {
    skip(['keys'], 'the SES user is unknown (the function environment is invalid)');
  }

  if (!config) {
    skip(['targets', 'document', 'smtp-endpoint'], 'the function environment is invalid');
    return { secretArn: state.arn, checks };
  }
  const ssm = clients.ssm(fnRegion);
  const nodes = await managedNodes(ssm, config.fleet);
  const offline = nodes.filter((n) => n.pingStatus !== 'Online');
  if (nodes.length === 0) {
    problem(
      'targets',
      `no managed node ${describeTargets(config.fleet)}`,
      'tag the relays (or fix FLEET_TARGET_TAGS / FLEET_INSTANCE_IDS) and check their SSM Agent in Fleet Manager',
    );
  } else if (offline.length > 0) {
    problem(
      'targets',
      `${plural(offline.length, 'node')} of ${nodes.length} not online: ${offline
        .slice(0, 10)
        .map((n) => `${n.instanceId} (${n.pingStatus})`)
        .join(', ')}${offline.length > 10 ? ` and ${offline.length - 10} more` : ''}`,
      'start the instances or their SSM Agent, or untag nodes that are gone: the push waits for every target',
    );
  } else {
    ok('targets', `${plural(nodes.length, 'managed node')} online (${platformSummary(nodes)})`);
  }
  if (await documentExists(ssm, config.fleet.documentName)) ok('document', `${config.fleet.documentName} exists`);
  else
    problem(
      'document',
      `SSM document ${config.fleet.documentName} does not exist in this account and region`,
      'deploy the construct (it creates the document) or fix FLEET_DOCUMENT_NAME',
    );

  const host = config.endpoint;
  let addresses: string[];
  try {
    addresses = await runtime.resolve(host);
  } catch (error) {
    problem(
      'smtp-endpoint',
      `${host} does not resolve (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      'check SMTP_ENDPOINT / SES_REGION and the DNS of the network the function runs in',
    );
    return { secretArn: state.arn, checks };
  }
  const reply = await runtime.checkSmtp(host, config.port);
  if (reply.ok) ok('smtp-endpoint', `${host}:${config.port} (${addresses.join(', ')}): ${reply.detail}`);
  else
    problem(
      'smtp-endpoint',
      `${host}:${config.port}: ${reply.detail}`,
      'check the port and TLS mode (587 STARTTLS, 465 TLS), security groups, NACLs, NAT or the email-smtp VPC endpoint; port 25 is restricted on EC2 and Lambda',
    );
  return { secretArn: state.arn, checks };
}
