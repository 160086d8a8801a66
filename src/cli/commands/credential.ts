import { SesSmtpRotationError } from '../../core/errors';
import { tryParseSecretValue } from '../../core/secret';
import { awsCall } from '../aws-errors';
import { EXIT, parseFlags, type CommandBody } from '../command';
import { println, type Io } from '../io';
import { secretCommandContext } from '../runtime';
import { readSecretState, unfinishedVersion } from '../secret-state';
import { UsageError } from '../errors';
import { SecretStore } from '../../aws/secret-store';

const HELP = `Usage: ses-smtp-rotation credential show --secret-id <id> --pending --reveal [--json]
                                         [--region <region>] [--profile <profile>]

Prints the pending SMTP credential (user name, password, endpoint, port) of a rotation that waits for manual
consumers, for the person who configures one of them by hand. Run it with your own AWS identity: CloudTrail
records the GetSecretValue. The password is printed to stdout only, never logged, never put in an error.

It refuses without --reveal. Without --reveal it also says whether stdout is a terminal: printed to a pipe or a
file, the password ends up there (shell history never holds it: nothing secret is on the command line).

Options:
  --secret-id <id>     name or ARN of the secret (required)
  --pending            the version a rotation waits to promote (required: AWSCURRENT is what the relays already have)
  --reveal             print the password (required)
  --json               print {secretArn, versionId, username, password, endpoint, port, region}
  --region, --profile  as for every command
  -h, --help           show this help

The caller needs secretsmanager:DescribeSecret, ListSecretVersionIds and GetSecretValue on the secret (and
kms:Decrypt on its key).

Exit codes: 0 printed, 1 nothing pending or not readable, 2 usage error or refused without --reveal.`;

/** Nothing can be shown (no pending version, or it holds no credential); nothing was printed. */
export class CredentialUnavailableError extends SesSmtpRotationError {}

/** `credential show --pending --reveal`: the one way a person sees the pending password. */
export const credentialCommand: CommandBody = {
  help: HELP,
  async run(args: string[], io: Io): Promise<number> {
    const { values, positionals } = parseFlags(
      args,
      {
        'secret-id': { type: 'string' },
        json: { type: 'boolean', default: false },
        pending: { type: 'boolean', default: false },
        reveal: { type: 'boolean', default: false },
        region: { type: 'string' },
        profile: { type: 'string' },
      },
      true,
    );
    if (positionals.length !== 1 || positionals[0] !== 'show') {
      throw new UsageError('say what to do: credential show --secret-id <id> --pending --reveal');
    }
    if (!values.pending) {
      throw new UsageError(
        'credential show prints only the pending version (--pending): the credential a manual consumer must ' +
          'configure before it confirms. AWSCURRENT is what every relay already has.',
      );
    }
    const terminal = (io.stdout as { isTTY?: boolean }).isTTY === true;
    if (!values.reveal) {
      throw new UsageError(
        terminal
          ? 'refusing to print a password without --reveal: add --reveal (CloudTrail records the read)'
          : 'refusing to print a password without --reveal, and stdout is not a terminal (a pipe or a file would ' +
              'keep it): add --reveal only if that is intended',
      );
    }
    const { secretId, clients } = secretCommandContext(values, io);
    const state = await readSecretState(clients.secrets, secretId, clients.region);
    const versionId = unfinishedVersion(state);
    if (versionId === undefined) {
      throw new CredentialUnavailableError(
        `nothing is pending for ${state.name}: no rotation waits for confirmation, so there is no new credential ` +
          'to configure. Your systems keep the current one.',
      );
    }
    // SecretStore.value: a version that holds no value yet is "nothing yet", not a missing secret.
    const version = await awsCall(
      {
        action: 'secretsmanager:GetSecretValue',
        resource: `secret ${state.arn} (version ${versionId}; and kms:Decrypt on its key)`,
        ...(clients.region ? { region: clients.region } : {}),
      },
      () => new SecretStore(clients.secrets).value(state.arn, { versionId }),
    );
    const parsed = tryParseSecretValue(version?.secretString);
    if (parsed?.kind !== 'credential') {
      throw new CredentialUnavailableError(
        `the pending version ${versionId} holds no credential yet (the rotation has not created it): wait for the ` +
          'notification that asks you to switch',
      );
    }
    if (!terminal) println(io.stderr, 'warning: stdout is not a terminal: the password goes to a pipe or a file');
    const c = parsed.credential;
    if (values.json) {
      const doc = { secretArn: state.arn, versionId, username: c.username, password: c.password };
      println(io.stdout, JSON.stringify({ ...doc, endpoint: c.endpoint, port: c.port, region: c.region }, null, 2));
      return EXIT.ok;
    }
    println(io.stdout, `Secret:     ${state.arn}`);
    println(io.stdout, `Version:    ${versionId} (pending: not promoted until every manual consumer confirmed)`);
    println(io.stdout, `Endpoint:   ${c.endpoint} port ${c.port} (STARTTLS), region ${c.region}`);
    println(io.stdout, `User name:  ${c.username}`);
    println(io.stdout, `Password:   ${c.password}`);
    println(io.stdout, '');
    println(io.stdout, `Then: ses-smtp-rotation confirm --secret-id ${state.arn} --consumer <name> [--note "ticket"]`);
    return EXIT.ok;
  },
};
