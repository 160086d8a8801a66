import { SECRET_COMMAND_FLAGS } from '../aws-clients';
import { EXIT, parseFlags, type CommandBody } from '../command';
import { println, type Io } from '../io';
import { runChecks } from '../preflight-checks';
import { secretCommandContext } from '../runtime';
import { plural } from '../format';

const HELP = `Usage: ses-smtp-rotation preflight --secret-id <id> [--json] [--region <region>] [--profile <profile>]

Checks, before a rotation, everything it depends on; one line per check, "ok" or "problem" with the fix:
  secret         the secret exists and its value parses (empty or settings-only is fine for a first rotation)
  rotation       rotation is enabled, a function is attached, no previous rotation is unfinished
  function       the rotation function's environment is valid (names the bad variable otherwise), and the
                 function would accept this secret (its own checks: EXPECTED_SECRET_ARN, the recorded region,
                 endpoint, port and user, the pending version); "not ready" with the function's reason otherwise
  keys           the SES user's keys as the function would treat them (with two: which one is safe to delete;
                 never the key of an unfinished rotation)
  targets        the targeting reaches managed nodes, all online (platforms listed)
  document       the SSM document exists
  smtp-endpoint  the SES SMTP host resolves and answers on its port (STARTTLS offered, or TLS on 465)
A check that depends on a failed one is "skipped" with the reason. A failed AWS call is reported on its check
(call, resource, region, the permission to grant or the fix); the other checks still run.

Options:
  --secret-id <id>       name or ARN of the secret (required)
  --json                 print {"secretArn", "ok", "checks": [{"name", "status", "detail", "fix"?}], "error": null}
  --region <region>      AWS region (default: AWS_REGION, the secret ARN's region, or your profile's)
  --profile <profile>    AWS profile (default: AWS_PROFILE)
  -h, --help             show this help

The SMTP check runs from where you run preflight, not from the function's network: a pass here does not prove
the function's VPC can reach the endpoint. No credential is sent.

Exit codes: 0 every check ok, 1 a problem found, 2 usage error.`;

/** `preflight`: is everything in place for a rotation? */
export const preflightCommand: CommandBody = {
  help: HELP,
  async run(args: string[], io: Io): Promise<number> {
    const { values } = parseFlags(args, SECRET_COMMAND_FLAGS);
    const { secretId, runtime, clients } = secretCommandContext(values, io);
    const { secretArn, checks } = await runChecks(clients, secretId, runtime);
    const ok = checks.every((c) => c.status !== 'problem');
    if (values.json) {
      println(io.stdout, JSON.stringify({ secretArn, ok, checks, error: null }, null, 2));
    } else {
      const width = Math.max(...checks.map((c) => c.name.length));
      for (const check of checks) {
        println(io.stdout, `${check.status.padEnd(8)} ${check.name.padEnd(width)}  ${check.detail}`);
        if (check.fix) println(io.stdout, `${''.padEnd(8)} ${''.padEnd(width)}  fix: ${check.fix}`);
      }
      const problems = checks.filter((c) => c.status === 'problem').length;
      println(io.stdout, ok ? 'ready to rotate' : `not ready: ${plural(problems, 'problem')} found`);
    }
    return ok ? EXIT.ok : EXIT.failure;
  },
};
