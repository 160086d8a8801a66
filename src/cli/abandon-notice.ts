/**
 * The outcome of `rotate --abandon` as a report (the --json shape) and as the SNS notification the rotation
 * function's topic receives. Only version ids, command ids, host ids and masked key ids: never a secret.
 */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { HostsInState } from '../rotation/fleet-errors';

/** How an abandon ended. */
export type AbandonOutcome =
  'abandoned' | 'nothing-to-abandon' | 'refused' | 'push-failed' | 'push-running' | 'not-configured' | 'failed';

/** What `rotate --abandon` reports (and `--json` prints). Every key is always present. */
export interface AbandonReport {
  secretArn: string;
  outcome: AbandonOutcome;
  /** One line for people: what happened. */
  summary: string;
  pendingVersionId: string | null;
  currentVersionId: string | null;
  /** Masked (`AKIA…WXYZ`). */
  pendingKeyId: string | null;
  currentKeyId: string | null;
  /** The abandon push: the SSM command that pushed AWSCURRENT back, and how many hosts confirmed it. */
  push: { commandId: string; hostsUpdated: number } | null;
  /** Hosts that did not confirm the abandon push, per state. */
  failedHosts: HostsInState[];
  /** What this run changed, in order: pushed, deleted-pending-key, cleared-pending. */
  actions: string[];
  notified: boolean;
  problems: string[];
  next: string[];
}

/** An empty report for a secret. */
export function emptyAbandonReport(secretArn: string): AbandonReport {
  return {
    secretArn,
    outcome: 'nothing-to-abandon',
    summary: '',
    pendingVersionId: null,
    currentVersionId: null,
    pendingKeyId: null,
    currentKeyId: null,
    push: null,
    failedHosts: [],
    actions: [],
    notified: false,
    problems: [],
    next: [],
  };
}

/** The SNS message of an outcome (pure). */
export function abandonNotice(report: AbandonReport, at: Date): { subject: string; message: string } {
  const name = report.secretArn.split(':').slice(6).join(':') || report.secretArn;
  const done = report.outcome === 'abandoned';
  const hosts = report.failedHosts.map((f) => `${f.state}: ${f.hostIds.join(', ')}${f.truncated ? ' …' : ''}`);
  const summary = {
    event: done ? 'rotation-abandoned' : 'rotation-abandon-refused',
    secretArn: report.secretArn,
    outcome: report.outcome,
    pendingVersionId: report.pendingVersionId,
    currentVersionId: report.currentVersionId,
    pendingKeyId: report.pendingKeyId,
    currentKeyId: report.currentKeyId,
    commandId: report.push?.commandId ?? null,
    hostsUpdated: report.push?.hostsUpdated ?? null,
    failedHosts: report.failedHosts,
    actions: report.actions,
    at: at.toISOString(),
  };
  const message = [
    done
      ? `The unfinished rotation of ${report.secretArn} was abandoned: every relay holds AWSCURRENT again.`
      : `Abandoning the unfinished rotation of ${report.secretArn} was refused; nothing unsafe was done.`,
    '',
    `Pending version:  ${report.pendingVersionId ?? '-'}${done ? ' (AWSPENDING cleared)' : ' (AWSPENDING kept)'}`,
    `Current version:  ${report.currentVersionId ?? '-'}`,
    `Pending key:      ${report.pendingKeyId ?? '-'}${done && report.pendingKeyId ? ' (deleted)' : ''}`,
    `Current key:      ${report.currentKeyId ?? '-'}`,
    `SSM command:      ${report.push?.commandId ?? '-'}`,
    `Hosts confirmed:  ${report.push?.hostsUpdated ?? '-'}`,
    ...(hosts.length > 0 ? [`Hosts failed:     ${hosts.join('; ')}`] : []),
    ...report.problems.map((p) => `Reason:           ${p}`),
    `At:               ${summary.at}`,
    '',
    JSON.stringify(summary),
  ].join('\n');
  const verb = done ? 'abandoned' : report.outcome === 'push-running' ? 'abandon still running' : 'abandon refused';
  const subject = `SES SMTP rotation ${verb}: ${name}`.slice(0, 99);
  return { subject, message };
}

/** Publishes the notice to the rotation function's topic. */
export async function publishAbandonNotice(sns: SNSClient, topicArn: string, report: AbandonReport, at: Date) {
  const { subject, message } = abandonNotice(report, at);
  await sns.send(new PublishCommand({ TopicArn: topicArn, Subject: subject, Message: message }));
}
