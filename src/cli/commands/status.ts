import { SECRET_COMMAND_FLAGS } from '../aws-clients';
import { EXIT, parseFlags, type CommandBody } from '../command';
import { table, when } from '../format';
import { println, type Io } from '../io';
import { failedHostLines, progressPhrase, type PushView } from '../push-state';
import { secretCommandContext } from '../runtime';
import { gatherStatus } from '../status-report';
import type { StatusReport } from '../status-view';

const HELP = `Usage: ses-smtp-rotation status --secret-id <id> [--json] [--region <region>] [--profile <profile>]

Shows where the SMTP credential rotation of one secret stands:
  - the staging labels (AWSCURRENT, AWSPENDING, AWSPREVIOUS) and their versions
  - rotation enabled, the rotation function, last and next rotation dates
  - the credential in AWSCURRENT (masked key id, user, endpoint; never the password)
  - the SES user's access keys: masked id, status, age in days, last use, which version records each
  - the last push to the hosts: the SSM command of the AWSCURRENT version (or of AWSPENDING while a rotation is
    in progress), hosts done, and the hosts in any bad state
  - an unfinished abandon: the SSM command rotate --abandon sent to push AWSCURRENT back, hosts done / failed /
    pending, and whether to wait, fix hosts, or run rotate --abandon again (its own advice)
  - the manual consumers (systems changed by hand) of the pending, else the current, version: pending or
    confirmed, by whom, when, with which note; a rotation waiting for them is in progress, not stuck
  - why an unfinished rotation failed before the push: the function's own "step failed" line (step, reason, fix)
  - what to do next when something needs attention (an unfinished rotation, a failed push, two keys, a missing
    or inactive AWSCURRENT key, a misconfigured function, a secret the function would refuse)

Options:
  --secret-id <id>       name or ARN of the secret (required)
  --json                 print the report as JSON (see the README section "Operator CLI"): secret, versions[], current, function,
                         iamUserName, keys[], push, abandon, manualConsumers, failure, state (ok | rotating | attention), problems[], next[],
                         warnings[], error (every key always present, null when unknown)
  --region <region>      AWS region (default: AWS_REGION, the secret ARN's region, or your profile's)
  --profile <profile>    AWS profile (default: AWS_PROFILE)
  -h, --help             show this help

Reads only: DescribeSecret, ListSecretVersionIds, GetSecretValue (to learn the key id), GetFunctionConfiguration,
ListAccessKeys, GetAccessKeyLastUsed, ListCommands, ListCommandInvocations, GetCommandInvocation, and (during an
unfinished rotation) logs:FilterLogEvents on the function's log group, for its "step failed" line. A call that is
denied is reported in its section (call, resource, region, the permission to grant); the other sections still run.

Exit codes: 0 ok or a rotation in progress, 1 something needs attention, 2 usage error.`;

/** `status`: where the rotation of a secret stands, and what to do next. */
export const statusCommand: CommandBody = {
  help: HELP,
  async run(args: string[], io: Io): Promise<number> {
    const { values } = parseFlags(args, SECRET_COMMAND_FLAGS);
    const { secretId, runtime, clients } = secretCommandContext(values, io);
    const report = await gatherStatus(clients, secretId, runtime.clock);
    if (values.json) println(io.stdout, JSON.stringify(report, null, 2));
    else for (const line of render(report)) println(io.stdout, line);
    return report.state === 'attention' ? EXIT.failure : EXIT.ok;
  },
};

/** The human-readable report. */
export function render(report: StatusReport): string[] {
  if (!report.secret) {
    return [
      'State: needs attention (the secret could not be read)',
      ...report.problems.map((p) => `  problem: ${p}`),
      ...(report.next.length > 0 ? ['', 'What to do next:', ...report.next.map((n) => `  ${n}`)] : []),
    ];
  }
  return renderSecret(report, report.secret);
}

function renderSecret(report: StatusReport, secret: NonNullable<StatusReport['secret']>): string[] {
  return [...overview(report, secret), ...details(report)];
}

function overview(report: StatusReport, secret: NonNullable<StatusReport['secret']>): string[] {
  return table(
    [
      ['Secret', `${secret.name} (${secret.arn})`],
      [
        'Rotation',
        `${secret.rotationEnabled ? 'enabled' : 'DISABLED'}, function ${secret.rotationLambdaArn ?? '(none)'}`,
      ],
      ['Last rotated', when(secret.lastRotatedDate)],
      ['Next rotation', when(secret.nextRotationDate)],
      ...(secret.emergencyRequested !== null
        ? [['Emergency', `requested ${secret.emergencyRequested}: every old key is deleted once every host confirmed`]]
        : []),
      ...(secret.immediateRetirementRequested !== null
        ? [
            [
              'Retirement',
              `immediate, requested ${secret.immediateRetirementRequested}: this rotation deletes the old key once every host confirmed`,
            ],
          ]
        : []),
      ['Targets', report.function?.targets ? `${report.function.targets} via ${report.function.documentName}` : '-'],
      ['Credential', credentialLine(report.current)],
    ],
    '',
  );
}

function details(report: StatusReport): string[] {
  const push = report.push;
  const lines: string[] = [];
  lines.push('', 'Versions');
  lines.push(...table(report.versions.map((v) => [v.stages.join(','), v.versionId, `created ${when(v.created)}`])));
  lines.push('', `Access keys of ${report.iamUserName ?? '(unknown user)'}`);
  if (report.keys === null) lines.push('  unknown (not read: see the problems below)');
  else if (report.keys.length === 0) lines.push('  none');
  lines.push(
    ...table(
      (report.keys ?? []).map((k) => [
        k.keyId,
        k.status,
        `${k.ageDays} days old`,
        `last used ${when(k.lastUsed)}`,
        k.role === 'unrecorded' ? 'in no version of the secret' : k.role,
      ]),
    ),
  );
  lines.push('', 'Last push');
  if (!push) lines.push('  none found for this version');
  else lines.push(...pushLines(push));
  lines.push(...abandonLines(report.abandon));
  lines.push(...manualLines(report.manualConsumers));
  if (report.failure) {
    const f = report.failure;
    lines.push('', "Last failure (the function's log)");
    lines.push(`  step ${f.step} failed at ${f.at}: ${f.errorName}`);
    lines.push(`  reason: ${f.reason}`);
    lines.push(`  fix: ${f.fix}`);
    lines.push(`  log group: ${f.logGroup}`);
  }
  for (const w of report.warnings) lines.push('', `warning: ${w}`);
  const state = { ok: 'ok', rotating: 'a rotation is in progress', attention: 'needs attention' }[report.state];
  lines.push('', `State: ${state}`);
  for (const p of report.problems) lines.push(`  problem: ${p}`);
  if (report.next.length > 0) lines.push('', 'What to do next:', ...report.next.map((n) => `  ${n}`));
  return lines;
}

/** One push: command, counters, outcome, hosts per bad state. */
function pushLines(push: PushView): string[] {
  return [
    `  version ${push.versionId}: SSM command ${push.commandId}, requested ${when(push.requested)}`,
    `  ${progressPhrase(push)}, ${push.errors} failed, ${push.deliveryTimedOut} not delivered`,
    ...(push.outcome === 'succeeded' ? ['  every targeted host confirmed'] : []),
    ...(push.outcome === 'running' ? [`  in progress: ${pendingHosts(push)}`] : []),
    ...failedHostLines(push).map((l) => `  ${l}`),
    ...(push.firstError ? [`  first error: ${push.firstError}`] : []),
  ];
}

function pendingHosts(push: PushView): string {
  if (push.targets === 0) return 'the targets are not resolved yet';
  const left = push.targets - push.completed;
  return `${left} ${left === 1 ? 'host has' : 'hosts have'} not answered yet`;
}

/** The abandon push, shown only while one exists for the unfinished rotation. */
function abandonLines(abandon: StatusReport['abandon']): string[] {
  if (!abandon) return [];
  return [
    '',
    `Abandon push (rotate --abandon of version ${abandon.pendingVersionId}: AWSCURRENT back to every target)`,
    ...pushLines(abandon.push),
    ...(abandon.upToDate ? [] : ['  out of date: the rotation pushed the pending version after it']),
  ];
}

function manualLines(manual: StatusReport['manualConsumers']): string[] {
  if (!manual) return [];
  const lines = ['', `Manual consumers${manual.versionId ? ` (version ${manual.versionId})` : ''}`];
  if (manual.consumers.length === 0) return [...lines, '  none registered: rotations wait for the SSM targets only'];
  if (manual.waitingSince) {
    lines.push(
      `  waiting since ${manual.waitingSince} (${manual.waitingDays ?? 0} days; alarm after ${manual.alarmAfterDays})`,
    );
  }
  lines.push(
    ...table(
      manual.consumers.map((c) =>
        c.state === 'confirmed'
          ? [c.name, 'confirmed', `by ${c.confirmedBy ?? '?'}`, `at ${c.confirmedAt ?? '?'}`, c.note ?? '']
          : [c.name, 'PENDING', c.owner ? `owner ${c.owner}` : '', '', ''],
      ),
    ),
  );
  return lines;
}

function credentialLine(current: StatusReport['current']): string {
  if (!current) return 'none yet (no AWSCURRENT version): the first rotation creates it';
  if (current.content === null) return 'unknown (AWSCURRENT could not be read)';
  if (!current.keyId) {
    const where = current.region
      ? `; settings for ${current.endpoint ?? '?'}:${current.port ?? '?'} (${current.region})`
      : '';
    return `no credential in AWSCURRENT yet (${current.content}${where}): the first rotation stores one`;
  }
  const extra = current.additionalRegions.map((r) => `; ${r.endpoint} (${r.region})`).join('');
  return `key ${current.keyId} of ${current.iamUserName ?? '?'}, ${current.endpoint ?? '?'}:${current.port ?? '?'} (${current.region ?? '?'})${extra}`;
}
