/**
 * Issue 12, table-driven: every AWS-calling command, with --json, against broken sandbox states — a missing IAM
 * user, AccessDenied on each API the command calls, a secret the function refuses, an unfinished rotation, a failed
 * testSecret (its failure only in the function's log group). Each run must print exactly one valid JSON document
 * with every documented key, exit by the convention (the document and the exit code agree), name the denied
 * action, and never print a secret value the sandbox used.
 */
import { COMMANDS } from '../../src/cli/command-table';
import { main } from '../../src/cli/main';
import { SandboxAccount, type SandboxOptions } from '../../src/sandbox/account';
import { runRotation } from '../../src/sandbox/rotation-driver';
import { failedTestSecret, missingUser, refusedSecret, unfinishedRotation } from './broken-states';
import { leakedSecrets, printed, rotateOnRequest, sandboxIo, settleThenRestore } from './sandbox-cli';

type Name = 'rotate' | 'status' | 'preflight';

/**
 * The keys each command declares for its --json document (the ones main fills when the command fails early); each
 * command's own test pins them to the README's list.
 */
function fieldsOf(name: Name): readonly string[] {
  return COMMANDS.find((c) => c.name === name)?.jsonFields ?? [];
}

/** What the document says about success, for the exit-code convention. */
const SUCCEEDED: Record<Name, (doc: Record<string, unknown>) => boolean> = {
  rotate: (doc) => doc.outcome === 'complete',
  status: (doc) => doc.state !== 'attention',
  preflight: (doc) => doc.ok === true,
};

/** Every API each command calls, in the state where it calls it. */
const APIS: Record<Name, string[]> = {
  rotate: [
    'SecretsManager:DescribeSecret',
    'SecretsManager:ListSecretVersionIds',
    'SecretsManager:RotateSecret',
    'SecretsManager:GetSecretValue',
    'Lambda:GetFunctionConfiguration',
    'SSM:ListCommands',
    'IAM:ListAccessKeys',
    'CloudWatchLogs:FilterLogEvents',
  ],
  status: [
    'SecretsManager:DescribeSecret',
    'SecretsManager:ListSecretVersionIds',
    'SecretsManager:GetSecretValue',
    'Lambda:GetFunctionConfiguration',
    'IAM:ListAccessKeys',
    'IAM:GetAccessKeyLastUsed',
    'SSM:ListCommands',
    'SSM:ListCommandInvocations',
    'SSM:GetCommandInvocation',
    'CloudWatchLogs:FilterLogEvents',
  ],
  preflight: [
    'SecretsManager:DescribeSecret',
    'SecretsManager:ListSecretVersionIds',
    'SecretsManager:GetSecretValue',
    'Lambda:GetFunctionConfiguration',
    'IAM:ListAccessKeys',
    'IAM:GetAccessKeyLastUsed',
    'SSM:DescribeInstanceInformation',
    'SSM:DescribeDocument',
  ],
};

/** Only an enrichment (the failing host's exit code): its absence is not an error to report. */
const UNREPORTED = new Set(['SSM:GetCommandInvocation']);

const PREFIX: Record<string, string> = {
  SecretsManager: 'secretsmanager',
  IAM: 'iam',
  SSM: 'ssm',
  Lambda: 'lambda',
  CloudWatchLogs: 'logs',
};

interface BrokenState {
  readonly name: string;
  readonly options?: SandboxOptions;
  prepare(account: SandboxAccount): Promise<unknown> | void;
  readonly deny?: string;
}

const STATES: BrokenState[] = [
  { name: 'missing IAM user', prepare: missingUser },
  { name: 'secret refused by the function', options: { initialSecret: 'settings' }, prepare: refusedSecret },
  { name: 'unfinished rotation', prepare: unfinishedRotation },
  { name: 'failed testSecret', prepare: failedTestSecret },
];

/** The state in which a command calls every API of its list. */
const BASE: Record<Name, Pick<BrokenState, 'options' | 'prepare'>> = {
  rotate: { options: { initialSecret: 'settings' }, prepare: () => undefined },
  status: { prepare: unfinishedRotation },
  preflight: {
    options: { initialSecret: 'settings' },
    prepare: async (account) => runRotation(account, { handler: { probe: account.sesProbe() } }),
  },
};

function argv(name: Name, secretArn: string): string[] {
  const wait = name === 'rotate' ? ['--wait', '--timeout', '2'] : [];
  return [name, '--secret-id', secretArn, '--json', ...wait];
}

const CASES = (['rotate', 'status', 'preflight'] as const).flatMap((command) =>
  [...STATES, ...APIS[command].map((api) => ({ name: `AccessDenied on ${api}`, ...BASE[command], deny: api }))].map(
    (state) => ({ command, state, label: state.name }),
  ),
);

describe('every AWS-calling command in broken states', () => {
  let account: SandboxAccount;
  let rotations: ReturnType<typeof rotateOnRequest>;
  afterEach(() => settleThenRestore(account, rotations));

  it.each(CASES)('$command --json with $label', async ({ command: name, state }) => {
    // Prepare
    account = new SandboxAccount({ hosts: 2, ...state.options });
    await state.prepare(account);
    rotations = rotateOnRequest(account, { handler: { probe: account.sesProbe() }, maxAttempts: 1 });
    if (state.deny) account.recorder.deny(state.deny);
    const io = sandboxIo(account);

    // Act
    const code = await main(argv(name, account.secrets.arn), io);
    await rotations.settled();

    // Assess: one document, every documented key, the convention, the denied action named, no secret.
    const doc = JSON.parse(io.out()) as Record<string, unknown>;
    expect(Object.keys(doc).sort()).toEqual([...fieldsOf(name)].sort());
    expect(doc.error === null || typeof doc.error === 'object').toBe(true);
    expect([0, 1]).toContain(code);
    expect(code).toBe(SUCCEEDED[name](doc) ? 0 : 1);
    if (state.deny) {
      const [service, operation] = state.deny.split(':') as [string, string];
      expect(account.recorder.calls.some((c) => c.service === service && c.operation === operation)).toBe(true);
      if (!UNREPORTED.has(state.deny)) expect(io.out()).toContain(`${PREFIX[service]}:${operation}`);
    }
    expect(leakedSecrets(account, printed(io))).toEqual([]);
    expect(account.secretValues().length).toBeGreaterThan(0);
  });
});
