import type { Readable } from 'node:stream';
import { planAdditionalRegions } from '../../core/additional-regions';
import { smtpEndpoint } from '../../core/endpoint';
import { InvalidRegionError } from '../../core/errors';
import { secretAccessKeyProblem } from '../../core/key-shapes';
import { parseRegion } from '../../core/regions';
import { deriveSmtpPassword } from '../../core/smtp-password';
import { splitRegionList } from '../../rotation/config-regions';
import { EXIT, parseFlags, type CommandBody } from '../command';
import { println, type Io } from '../io';
import { UsageError, usageOf } from '../errors';

const HELP = `Usage: <secret on stdin> | ses-smtp-rotation derive --region <region>[,<region>…] [--fips] [--json]

Derives the Amazon SES SMTP password (SigV4) of an IAM secret access key for one region, or for several
(a primary and its disaster-recovery regions: SMTP passwords are region-bound).
The secret access key is read from standard input (one line; the trailing newline is ignored),
never from the command line, where it would stay in your shell history and the process list.
Input that cannot be a secret access key (40 characters of A-Z a-z 0-9 + /) is refused with what
it looks like instead (an access key id, an SMTP password, too short or too long); it is never echoed.

Options:
  --region <list>    SES region(s) whose SMTP endpoint will receive the password (required), e.g. eu-west-1 or
                     eu-west-1,eu-central-1 (the first is the primary, the others follow the rotation's rules
                     for additional regions: not the primary, not twice, not a region without SMTP)
  --fips             report the FIPS endpoint (email-smtp-fips.<region>.amazonaws.com); the password is the same
  --json             print {"region", "endpoint", "password"} as JSON; with several regions the others are
                     under "additionalRegions", as the rotation stores them in the secret
  -h, --help         show this help

Examples:
  read -rs KEY && printf '%s\\n' "$KEY" | ses-smtp-rotation derive --region eu-west-1
  ses-smtp-rotation derive --region eu-west-1 < key-file
  ses-smtp-rotation derive --region eu-west-1,eu-central-1 --json < key-file

Exit codes: 0 ok, 1 other error, 2 usage error (including input that is not a secret access key).`;

const SECRET_ON_ARGV =
  'derive does not take the secret access key as an argument: a secret on the command line stays in your shell ' +
  'history and is visible to other users in the process list. Pipe it on standard input instead, e.g. ' +
  'read -rs KEY && printf \'%s\\n\' "$KEY" | ses-smtp-rotation derive --region eu-west-1';

/** `derive`: print the SMTP password of a secret access key read from stdin. */
export const deriveCommand: CommandBody = {
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
    const [first = '', ...others] = splitRegionList(values.region);
    const { region, warning } = parseRegion(first, values.fips);
    // The additional regions, by the rotation's own rules; a refusal is a usage error naming the flag.
    const additional = usageOf(
      InvalidRegionError,
      () => planAdditionalRegions(others, region, values.fips),
      '--region',
    );
    if (io.stdin.isTTY) println(io.stderr, 'Paste the secret access key, then press Enter and Ctrl-D:');
    const secret = readOneLine(await readCapped(io.stdin));
    for (const w of [warning, ...additional.map((a) => a.warning)]) if (w) println(io.stderr, `warning: ${w}`);
    const password = deriveSmtpPassword(secret, region);
    // The same derivation and field names as createSecret: what this prints is what the rotation would store.
    const additionalRegions = additional.map((a) => ({
      region: a.region,
      endpoint: a.endpoint,
      password: deriveSmtpPassword(secret, a.region),
    }));
    if (values.json) {
      const endpoint = smtpEndpoint(region, { fips: values.fips });
      println(
        io.stdout,
        JSON.stringify({ region, endpoint, password, ...(additionalRegions.length > 0 && { additionalRegions }) }),
      );
    } else if (additionalRegions.length === 0) {
      println(io.stdout, password);
    } else {
      for (const line of [{ region, password }, ...additionalRegions])
        println(io.stdout, `${line.region} ${line.password}`);
    }
    return EXIT.ok;
  },
};

/** More than a key line ever needs; the rest of a larger input is never read (nor held in memory). */
export const MAX_INPUT_BYTES = 4096;

/** Reads standard input up to {@link MAX_INPUT_BYTES}; refuses (and stops reading) beyond that. */
async function readCapped(stdin: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > MAX_INPUT_BYTES) {
      // Leaving the loop destroys the stream: a writer piping megabytes gets EPIPE instead of filling memory.
      throw new UsageError(
        `standard input holds more than ${MAX_INPUT_BYTES} bytes, so it is not a secret access key ` +
          '(40 characters): give the key alone, on one line',
      );
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The key line, or a usage error saying what the input looks like instead (never quoting it). */
function readOneLine(input: string): string {
  // A byte-order mark (a key file saved by Notepad) is never part of a key.
  const line = input.replace(/^\uFEFF/, '').replace(/\r?\n$/, '');
  if (line === '') throw new UsageError('no secret access key on standard input: pipe it in, one line');
  const problem = secretAccessKeyProblem(line);
  if (problem !== undefined) throw new UsageError(`standard input does not hold a secret access key: ${problem}`);
  return line;
}
