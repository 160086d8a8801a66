import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Notifier, RetirementNotice, RotationAudit } from '../rotation/ports';

/** Publishes the audit summary of a completed rotation to an SNS topic (e-mail subscribers read it). */
export class SnsNotifier implements Notifier {
  constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
  ) {}

  async rotationSucceeded(audit: RotationAudit): Promise<void> {
    const secretName = audit.secretArn.split(':').slice(6).join(':');
    await this.client.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: `SES SMTP credential rotated: ${secretName}`.slice(0, 99),
        Message: [
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
          '',
          JSON.stringify(audit),
        ].join('\n'),
      }),
    );
  }

  async retirement(notice: RetirementNotice): Promise<void> {
    const secretName = notice.secretArn.split(':').slice(6).join(':');
    const subject =
      notice.event === 'old-key-in-use'
        ? `ACTION NEEDED: old SES SMTP key still in use: ${secretName}`
        : `SES SMTP old key ${notice.event}: ${secretName}`;
    await this.client.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: subject.slice(0, 99),
        Message: [notice.summary, '', ...notice.details, '', JSON.stringify(notice)].join('\n'),
      }),
    );
  }
}
