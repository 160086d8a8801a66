import { CreateAccessKeyCommand, DeleteAccessKeyCommand, ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { GetSecretValueCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { deriveSmtpPassword } from '../../../src/core/smtp-password';
import { SandboxAccount } from '../../../src/sandbox/account';
import { allText, invokeStep, startRotation, storedCredential } from './step-harness';
import { sent } from '../../sandbox/sent-commands';

describe('createSecret', () => {
  let account: SandboxAccount;
  afterEach(() => account.restore());

  it('mints one key and stores its SMTP password as AWSPENDING on a first rotation', async () => {
    // Prepare
    account = new SandboxAccount();
    const token = startRotation(account);
    // Act
    await invokeStep(account, 'createSecret', token);
    // Assess
    expect(sent(account, CreateAccessKeyCommand)).toHaveLength(1);
    expect(sent(account, CreateAccessKeyCommand)).toContainEqual(
      expect.objectContaining({ UserName: 'ses-smtp-sender' }),
    );
    expect(sent(account, PutSecretValueCommand)).toContainEqual(
      expect.objectContaining({
        SecretId: account.secrets.arn,
        ClientRequestToken: token,
        VersionStages: ['AWSPENDING'],
      }),
    );
    const credential = storedCredential(account, token);
    const key = account.iam.keys('ses-smtp-sender').find((k) => k.id === credential.username);
    expect(credential.password).toBe(deriveSmtpPassword(key!.secret, 'eu-west-1'));
    expect(credential).toMatchObject({
      region: 'eu-west-1',
      endpoint: 'email-smtp.eu-west-1.amazonaws.com',
      port: 587,
    });
    expect(account.secrets.versionWithStage('AWSCURRENT')).toBeUndefined();
  });

  it('passes the RotationToken to PutSecretValue and never logs it', async () => {
    account = new SandboxAccount();
    const token = startRotation(account);
    const rotationToken = 'rt-0123456789-abcdef-0123456789-abcdef';
    await invokeStep(account, 'createSecret', token, { rotationToken });
    expect(sent(account, PutSecretValueCommand)).toContainEqual(
      expect.objectContaining({
        RotationToken: rotationToken,
      }),
    );
    expect(allText(account)).not.toContain(rotationToken);
  });

  it('does not mint again when the pending version already has a value', async () => {
    account = new SandboxAccount();
    const token = startRotation(account);
    await invokeStep(account, 'createSecret', token);
    await invokeStep(account, 'createSecret', token);
    expect(sent(account, CreateAccessKeyCommand)).toHaveLength(1);
    expect(sent(account, PutSecretValueCommand)).toHaveLength(1);
  });

  it('deletes a crash orphan before minting', async () => {
    account = new SandboxAccount({ adoptConsoleKey: false, initialSecret: 'settings' });
    const token = startRotation(account);
    await invokeStep(account, 'createSecret', token);
    await invokeStep(account, 'finishSecret', token);
    const next = startRotation(account);
    account.clock.advance(60_000);
    const orphan = account.iam.addKey('ses-smtp-sender'); // minted, then the Lambda died before PutSecretValue
    await invokeStep(account, 'createSecret', next);
    expect(sent(account, DeleteAccessKeyCommand)).toContainEqual(expect.objectContaining({ AccessKeyId: orphan.id }));
    expect(account.iam.keys('ses-smtp-sender').map((k) => k.id)).not.toContain(orphan.id);
    expect(account.logs.some((l) => l.message === 'deleted access key before minting')).toBe(true);
  });

  it('refuses to mint when the user holds two keys the secret does not explain, naming them masked', async () => {
    account = new SandboxAccount();
    const second = account.iam.addKey('ses-smtp-sender', { lastUsed: new Date(account.clock.now()) });
    const token = startRotation(account);
    await expect(invokeStep(account, 'createSecret', token)).rejects.toThrow(/AKIA…\d{4}.*\n.*AKIA…\d{4}/);
    await expect(invokeStep(account, 'createSecret', token)).rejects.toThrow('Delete the key the hosts do NOT use');
    expect(sent(account, CreateAccessKeyCommand)).toHaveLength(0);
    expect(sent(account, DeleteAccessKeyCommand)).toHaveLength(0);
    expect(allText(account)).not.toContain(second.id);
  });

  it('deletes the minted key when PutSecretValue fails before storing', async () => {
    account = new SandboxAccount();
    const token = startRotation(account);
    const before = account.recorder.calls.length;
    // DescribeSecret, GetSecretValue(pending), ListAccessKeys, GetAccessKeyLastUsed, CreateAccessKey, PutSecretValue
    account.recorder.plan({ atCall: before + 5, when: 'before', kind: 'throw' });
    await expect(invokeStep(account, 'createSecret', token)).rejects.toThrow(
      'simulated transient failure of PutSecretValue',
    );
    expect(account.iam.keys('ses-smtp-sender')).toHaveLength(1); // the console key only
    expect(sent(account, DeleteAccessKeyCommand)).toHaveLength(1);
  });

  it('keeps the minted key when PutSecretValue stored the value but its response was lost', async () => {
    account = new SandboxAccount();
    const token = startRotation(account);
    account.recorder.plan({ atCall: account.recorder.calls.length + 5, when: 'after', kind: 'throw' });
    await expect(invokeStep(account, 'createSecret', token)).rejects.toThrow('PutSecretValue');
    const credential = storedCredential(account, token);
    expect(account.iam.keys('ses-smtp-sender').map((k) => k.id)).toContain(credential.username);
    expect(sent(account, GetSecretValueCommand)).toContainEqual(expect.objectContaining({ VersionId: token }));
  });

  it('refuses when the secret records another region than the Lambda, and mints nothing', async () => {
    account = new SandboxAccount({ initialSecret: 'settings' });
    const token = startRotation(account);
    await expect(
      invokeStep(account, 'createSecret', token, { env: { SES_REGION: 'us-east-1', SMTP_ENDPOINT: '' } }),
    ).rejects.toThrow('region: the secret says eu-west-1, the rotation Lambda is configured with us-east-1');
    expect(sent(account, CreateAccessKeyCommand)).toHaveLength(0);
  });

  it('rotates a secret holding a legacy SigV2 password as a first rotation', async () => {
    account = new SandboxAccount({ adoptConsoleKey: false });
    account.secrets.putSecretValue({
      SecretId: account.secrets.arn,
      ClientRequestToken: 'legacy-version-0000000000000000000001',
      SecretString: JSON.stringify({
        username: 'AKIAIOSFODNN7EXAMPLE',
        password: 'An60U4ZD3sd4fg+FvXUjayOipTt8LO4rUUmhpdX6ctDy',
        region: 'eu-west-1',
        endpoint: 'email-smtp.eu-west-1.amazonaws.com',
        port: 587,
        iamUserName: 'ses-smtp-sender',
      }),
    });
    const token = startRotation(account);
    await invokeStep(account, 'createSecret', token);
    expect(account.logs.some((l) => l.message.includes('rotating as a first rotation'))).toBe(true);
    expect(storedCredential(account, token).password).toMatch(/^B/);
    expect(sent(account, ListAccessKeysCommand)).not.toHaveLength(0);
  });
});
