import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { ManualConsumersNotice, Notifier, RetirementNotice, RotationAudit } from '../rotation/ports';

/**
 * Publishes the rotation's notices (the audit of a completed rotation, manual-consumer requests, retirement events)
 * to an SNS topic (e-mail subscribers read them).
 */
export class SnsNotifier implements Notifier {
  constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
  ) {}

  async rotationSucceeded(audit: RotationAudit): Promise<void> {
    await this.publish(
      audit.secretArn,
      (secretName) => `SES SMTP credential rotated: ${secretName}`,
      [
        `The SES SMTP credential in ${audit.secretArn} was rotated.`,
        '',
        `Version:        ${audit.versionId}${audit.previousVersionId ? ` (previous ${audit.previousVersionId})` : ''}`,
        `New key:        ${audit.newKeyId}`,
        `Retired keys:   ${audit.retiredKeyIds.join(', ') || 'none'}`,
        ...(audit.retiringKeyIds?.length
          ? [
              `Retiring keys:  ${audit.retiringKeyIds.join(', ')} (${audit.retirement ?? 'staged'}: deactivated, then deleted, by the hourly pass)`,
            ]
          : []),
        `SSM command:    ${audit.commandId}`,
        `Hosts updated:  ${audit.hostsUpdated}`,
        `Endpoint:       ${audit.endpoint} (${audit.region})`,
        ...(audit.additionalRegions ?? []).map((r) => `Also proven:    ${r.endpoint} (${r.region})`),
        `Completed at:   ${audit.completedAt}`,
        ...(audit.manualConsumers?.length
          ? [
              'Manual consumers (confirmed by hand before promotion):',
              ...audit.manualConsumers.map(
                (c) => `  ${c.consumer}: ${c.confirmedBy} at ${c.confirmedAt}${c.note ? ` (${c.note})` : ''}`,
              ),
            ]
          : []),
      ],
      audit,
    );
  }

  async manualConsumers(notice: ManualConsumersNotice): Promise<void> {
    const names = notice.pending.map((c) => c.name).join(', ');
    const subject = (secretName: string) =>
      ({
        requested: `ACTION NEEDED: change the SES SMTP credential by hand: ${secretName}`,
        reminder: `REMINDER: SES SMTP credential still to change by hand: ${secretName}`,
        overdue: `OVERDUE: rotation waits for manual consumers since ${notice.waitingSince.slice(0, 10)}: ${secretName}`,
      })[notice.kind];
    await this.publish(
      notice.secretArn,
      subject,
      [
        `A new SES SMTP credential for ${notice.secretArn} (version ${notice.versionId}) is installed on every`,
        'relay the rotation reaches over SSM. It is NOT promoted until each system below is changed by hand and',
        'confirmed; until then the old key stays active, so nothing breaks.',
        '',
        `Waiting since:  ${notice.waitingSince}`,
        `Pending (${notice.pending.length}):`,
        ...notice.pending.map(
          (c) => `  ${c.name}${c.owner ? ` (owner ${c.owner})` : ''}${c.note ? `: ${c.note}` : ''}`,
        ),
        ...(notice.confirmed.length
          ? [
              `Confirmed (${notice.confirmed.length}):`,
              ...notice.confirmed.map((c) => `  ${c.consumer}: ${c.confirmedBy} at ${c.confirmedAt}`),
            ]
          : []),
        '',
        `For each pending system (${names}):`,
        ...notice.steps,
      ],
      { ...notice, steps: undefined },
    );
  }

  async retirement(notice: RetirementNotice): Promise<void> {
    await this.publish(
      notice.secretArn,
      (secretName) =>
        notice.event === 'old-key-in-use'
          ? `ACTION NEEDED: old SES SMTP key still in use: ${secretName}`
          : `SES SMTP old key ${notice.event}: ${secretName}`,
      [notice.summary, '', ...notice.details],
      notice,
    );
  }

  /**
   * The one publish of every notice: the subject names the secret (cut to SNS's limit of under 100 characters), and
   * the message ends with the notice as JSON, for subscribers that parse it.
   */
  private async publish(
    secretArn: string,
    subject: (secretName: string) => string,
    lines: readonly string[],
    record: unknown,
  ): Promise<void> {
    const secretName = secretArn.split(':').slice(6).join(':');
    await this.client.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: subject(secretName).slice(0, 99),
        Message: [...lines, '', JSON.stringify(record)].join('\n'),
      }),
    );
  }
}
