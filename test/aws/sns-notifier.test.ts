import { SNSClient, type PublishCommandInput } from '@aws-sdk/client-sns';
import { SnsNotifier } from '../../src/aws/sns-notifier';
import { CallRecorder } from '../../src/sandbox/call-recorder';
import { wireSns, type Wiring } from '../../src/sandbox/wire';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:rotation';
const SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:ses-smtp-credential-AbCdEf';

let wiring: Wiring | undefined;
afterEach(() => wiring?.restore());

/** A notifier over an SNS client routed to the sandbox's SNS; `published` holds each Publish input. */
function notifier(): { sns: SnsNotifier; published: PublishCommandInput[] } {
  const published: PublishCommandInput[] = [];
  const recorder = new CallRecorder();
  recorder.onServed((call) => void published.push(call.input as PublishCommandInput));
  wiring = wireSns([], recorder);
  return { sns: new SnsNotifier(new SNSClient({ region: 'eu-west-1' }), TOPIC), published };
}

/** The JSON record a message ends with. */
function recordOf(message: string | undefined): unknown {
  const lines = (message ?? '').split('\n');
  return JSON.parse(lines[lines.length - 1] ?? '');
}

describe('SnsNotifier', () => {
  it('publishes a completed rotation under a subject naming the secret, ending with the audit as JSON', async () => {
    const { sns, published } = notifier();
    const audit = {
      secretArn: SECRET,
      versionId: 'v2',
      newKeyId: 'AKIA…0002',
      retiredKeyIds: ['AKIA…0001'],
      commandId: 'c-1',
      hostsUpdated: 3,
      region: 'eu-west-1',
      endpoint: 'email-smtp.eu-west-1.amazonaws.com',
      completedAt: '2025-01-01T00:00:00Z',
    };

    await sns.rotationSucceeded(audit);

    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({
      TopicArn: TOPIC,
      Subject: 'SES SMTP credential rotated: ses-smtp-credential-AbCdEf',
    });
    expect(published[0]!.Message).toContain('New key:        AKIA…0002');
    expect(recordOf(published[0]!.Message)).toEqual(audit);
  });

  it('publishes a manual-consumer request without its steps in the JSON record', async () => {
    const { sns, published } = notifier();
    const notice = {
      secretArn: SECRET,
      versionId: 'v2',
      kind: 'overdue' as const,
      pending: [
        { name: 'crm', owner: 'ops', addedAt: '2024-12-01T00:00:00Z', addedBy: 'arn:aws:iam::123456789012:user/a' },
      ],
      confirmed: [],
      waitingSince: '2025-01-01T00:00:00Z',
      steps: ['  1. change it'],
    };

    await sns.manualConsumers(notice);

    expect(published[0]!.Subject).toBe(
      'OVERDUE: rotation waits for manual consumers since 2025-01-01: ses-smtp-credential-AbCdEf',
    );
    expect(published[0]!.Message).toContain('  crm (owner ops)');
    expect(published[0]!.Message).toContain('  1. change it');
    expect(recordOf(published[0]!.Message)).not.toHaveProperty('steps');
  });

  it('cuts a subject to fewer than 100 characters when the secret name is long', async () => {
    const { sns, published } = notifier();
    const secretArn = `${SECRET}${'x'.repeat(120)}`;

    await sns.retirement({ secretArn, event: 'old-key-in-use', keyId: 'AKIA…0001', summary: 'held', details: ['why'] });

    expect(published[0]!.Subject).toHaveLength(99);
    expect(published[0]!.Subject).toMatch(/^ACTION NEEDED: old SES SMTP key still in use: ses-smtp-credential/);
    expect(published[0]!.Message?.split('\n').slice(0, 3)).toEqual(['held', '', 'why']);
  });
});
