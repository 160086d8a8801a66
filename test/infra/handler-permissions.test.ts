import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { allStatements, asArray, rotationTemplate } from './helpers';

const SRC = resolve(__dirname, '..', '..', 'src');
/** The code the Lambda bundle contains (the CLI and the sandbox run with other credentials). */
const LAMBDA_CODE = [
  join(SRC, 'handler.ts'),
  ...['aws', 'rotation', 'smtp', 'core'].flatMap((d) => files(join(SRC, d))),
  // The registry's writes people make with the CLI (test/lambda-bundle.test.ts checks they stay out).
].filter((file) => !file.endsWith('consumer-registry-admin.ts'));
const IAM_PREFIX: Record<string, string> = {
  iam: 'iam',
  'secrets-manager': 'secretsmanager',
  ssm: 'ssm',
  sns: 'sns',
};

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/** IAM actions of every SDK command the Lambda code imports, e.g. `ssm:SendCommand`. */
function actionsUsedByLambda(): string[] {
  const actions = new Set<string>();
  const imports = /import\s*\{([^}]*)\}\s*from\s*'@aws-sdk\/client-([a-z-]+)'/g;
  for (const file of LAMBDA_CODE) {
    for (const [, names, client] of readFileSync(file, 'utf8').matchAll(imports)) {
      for (const name of names!.split(',').map((n) => n.trim())) {
        const command = /^(\w+)Command$/.exec(name);
        if (command) actions.add(`${IAM_PREFIX[client!] ?? client}:${command[1]}`);
      }
    }
  }
  return [...actions].sort();
}

describe('rotation role and Lambda code', () => {
  it('grants every AWS API call the Lambda code makes', () => {
    // Prepare
    const granted = new Set(
      // With the manual-consumer registry: the variant whose code paths call the most APIs.
      allStatements(rotationTemplate({ manualConsumers: {}, parameterStore: { name: '/mail/ses-smtp' } }))
        .filter((s) => s.type === 'AWS::IAM::Policy' && s.statement.Effect === 'Allow')
        .flatMap((s) => asArray(s.statement.Action)),
    );

    // Act
    const used = actionsUsedByLambda();
    const missing = used.filter((action) => !granted.has(action));

    // Assess
    expect(used).toEqual(
      expect.arrayContaining(['secretsmanager:PutSecretValue', 'ssm:SendCommand', 'iam:CreateAccessKey']),
    );
    expect(missing).toEqual([]);
  });
});
