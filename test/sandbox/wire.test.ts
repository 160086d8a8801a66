import { ListAccessKeysCommand, IAMClient, CreateUserCommand } from '@aws-sdk/client-iam';
import { SNSClient, PublishCommand } from '@aws-sdk/client-sns';
import { CallRecorder } from '../../src/sandbox/call-recorder';
import { routeClient, type Route } from '../../src/sandbox/wire';

const IAM_ROUTES: Route[] = [[ListAccessKeysCommand, 'ListAccessKeys', () => ({ AccessKeyMetadata: [] })]];

describe('routeClient', () => {
  afterEach(() => expect(Object.hasOwn(IAMClient.prototype, 'send')).toBe(false));

  it('answers a client built after the wiring from the route, and records the call', async () => {
    // Prepare
    const recorder = new CallRecorder();
    const wiring = routeClient(IAMClient, 'IAM', recorder, IAM_ROUTES);
    const client = new IAMClient({ region: 'eu-west-1' });
    // Act
    const output = await client.send(new ListAccessKeysCommand({ UserName: 'u' })).finally(() => wiring.restore());
    // Assess
    expect(output).toEqual({ AccessKeyMetadata: [] });
    expect(recorder.calls).toEqual([{ service: 'IAM', operation: 'ListAccessKeys', input: { UserName: 'u' } }]);
  });

  it('fails an operation the fake does not serve, naming it, instead of calling AWS', async () => {
    const wiring = routeClient(IAMClient, 'IAM', new CallRecorder(), IAM_ROUTES);
    const client = new IAMClient({ region: 'eu-west-1' });
    const call = client.send(new CreateUserCommand({ UserName: 'u' })).finally(() => wiring.restore());
    await expect(call).rejects.toThrow('the IAM sandbox does not serve CreateUser');
  });

  it('lets the latest wiring of a class win and restores the earlier one when it is undone', async () => {
    const first = new CallRecorder();
    const second = new CallRecorder();
    const outer = routeClient(IAMClient, 'IAM', first, IAM_ROUTES);
    const inner = routeClient(IAMClient, 'IAM', second, IAM_ROUTES);
    const client = new IAMClient({ region: 'eu-west-1' });
    await client.send(new ListAccessKeysCommand({}));
    inner.restore();
    await client.send(new ListAccessKeysCommand({}));
    outer.restore();
    expect([first.calls.length, second.calls.length]).toEqual([1, 1]);
  });

  it('keeps a later wiring in force when an earlier one is restored twice', async () => {
    const later = new CallRecorder();
    const earlier = routeClient(IAMClient, 'IAM', new CallRecorder(), IAM_ROUTES);
    earlier.restore();
    const wiring = routeClient(IAMClient, 'IAM', later, IAM_ROUTES);
    earlier.restore();
    await new IAMClient({ region: 'eu-west-1' }).send(new ListAccessKeysCommand({})).finally(() => wiring.restore());
    expect(later.calls).toHaveLength(1);
  });

  it('routes only the one instance it was given', async () => {
    const recorder = new CallRecorder();
    const routed = new SNSClient({ region: 'eu-west-1' });
    const wiring = routeClient(routed, 'SNS', recorder, [[PublishCommand, 'Publish', () => ({ MessageId: 'm-1' })]]);
    const output = await routed.send(new PublishCommand({ Message: 'hello', TopicArn: 'arn:aws:sns:eu-west-1:1:t' }));
    wiring.restore();
    expect(output).toEqual({ MessageId: 'm-1' });
    expect(SNSClient.prototype.send).toBe(Object.getPrototypeOf(SNSClient.prototype).send);
  });

  it('injects the recorder planned fault through the wiring', async () => {
    const recorder = new CallRecorder();
    recorder.plan({ operation: 'ListAccessKeys', when: 'before', kind: 'throw' });
    const wiring = routeClient(IAMClient, 'IAM', recorder, IAM_ROUTES);
    const call = new IAMClient({ region: 'eu-west-1' }).send(new ListAccessKeysCommand({}));
    await expect(call.finally(() => wiring.restore())).rejects.toThrow('simulated transient failure of ListAccessKeys');
  });
});
