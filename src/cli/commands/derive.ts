import { smtpEndpoint } from '../../core/endpoint';
import { parseRegion } from '../../core/regions';
import { deriveSmtpPassword } from '../../core/smtp-password';
import { EXIT, parseFlags, UsageError, type Command } from '../command';
import { println, readAll, type Io } from '../io';

const HELP = `Usage: <secret on stdin> | ses-smtp-rotation derive --region <region> [--fips] [--json]

Derives the Amazon SES SMTP password (SigV4) of an IAM secret access key for one region.
The secret access key is read from standard input (one line; the trailing newline is ignored),
never from the command line, where it would stay in your shell history and the process list.

Options:
  --region <region>  SES region whose SMTP endpoint will receive the password (required), e.g. eu-west-1
  --fips             report the FIPS endpoint (email-smtp-fips.<region>.amazonaws.com); the password is the same
  --json             print {"region", "endpoint", "password"} as JSON
  -h, --help         show this help

Examples:
  read -rs KEY && printf '%s\\n' "$KEY" | ses-smtp-rotation derive --region eu-west-1
  ses-smtp-rotation derive --region eu-west-1 < key-file

Exit codes: 0 ok, 1 other error, 2 usage error.`;

const SECRET_ON_ARGV =
  'derive does not take the secret access key as an argument: a secret on the command line stays in your shell ' +
  'history and is visible to other users in the process list. Pipe it on standard input instead, e.g. ' +
  'read -rs KEY && printf \'%s\\n\' "$KEY" | ses-smtp-rotation derive --region eu-west-1';

/** `derive`: print the SMTP password of a secret access key read from stdin. */
export const deriveCommand: Command = {
  name: 'derive',
  summary: 'derive the SES SMTP password of a secret access key read from stdin',
  help: HELP,
  async run(args: string[], io: Io): Promise<number> {
    if (args.some((a) => /^--(secret|secret-access-key|key|password)(=|$)/.test(a)))
      throw new UsageError(SECRET_ON_ARGV);
    const { values, positionals } = parseFlags(
      args,
      {
        region: { type: 'string' },
        fips: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
      true,
    );
    if (positionals.length > 0) throw new UsageError(SECRET_ON_ARGV);
    if (values.region === undefined) throw new UsageError('--region is required, for example --region eu-west-1');
    const { region, warning } = parseRegion(values.region, values.fips);
    if (io.stdin.isTTY) println(io.stderr, 'Paste the secret access key, then press Enter and Ctrl-D:');
    const secret = readOneLine(await readAll(io.stdin));
    if (warning) println(io.stderr, `warning: ${warning}`);
    const password = deriveSmtpPassword(secret, region);
    if (values.json) {
      println(io.stdout, JSON.stringify({ region, endpoint: smtpEndpoint(region, { fips: values.fips }), password }));
    } else {
      println(io.stdout, password);
    }
    return EXIT.ok;
  },
};

function readOneLine(input: string): string {
  const lines = input.replace(/\r?\n$/, '').split(/\r?\n/);
  const line = lines[0] ?? '';
  if (lines.length > 1) {
    throw new UsageError('standard input holds more than one line: give only the secret access key, on one line');
  }
  if (line === '') throw new UsageError('no secret access key on standard input: pipe it in, one line');
  if (/\s/.test(line)) {
    throw new UsageError('the secret access key on standard input contains white space: give the key alone');
  }
  return line;
}
