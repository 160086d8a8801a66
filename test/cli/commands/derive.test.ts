import { Readable } from 'node:stream';
import { MAX_INPUT_BYTES } from '../../../src/cli/commands/derive';
import { main } from '../../../src/cli/main';
import { SIGV2_VECTORS, SIGV4_VECTORS } from '../../fixtures/smtp-password-vectors';
import { fakeIo } from '../fake-io';

const VECTOR = SIGV4_VECTORS[4]!; // AWS's documented example key, us-east-2

describe('derive', () => {
  it('prints the password of the key read from stdin', async () => {
    const io = fakeIo(`${VECTOR.secretAccessKey}\n`);
    expect(await main(['derive', '--region', VECTOR.region], io)).toBe(0);
    expect(io.out()).toBe(`${VECTOR.password}\n`);
    expect(io.err()).toBe('');
  });

  it('ignores a CRLF line ending', async () => {
    const io = fakeIo(`${VECTOR.secretAccessKey}\r\n`);
    expect(await main(['derive', '--region', VECTOR.region], io)).toBe(0);
    expect(io.out()).toBe(`${VECTOR.password}\n`);
  });

  it('ignores the byte-order mark of a key file saved by a Windows editor', async () => {
    const io = fakeIo(`\uFEFF${VECTOR.secretAccessKey}\r\n`);
    expect(await main(['derive', '--region', VECTOR.region], io)).toBe(0);
    expect(io.out()).toBe(`${VECTOR.password}\n`);
  });

  it('prints region, endpoint and password with --json', async () => {
    const io = fakeIo(VECTOR.secretAccessKey);
    expect(await main(['derive', '--region', VECTOR.region, '--json'], io)).toBe(0);
    expect(JSON.parse(io.out())).toEqual({
      region: 'us-east-2',
      endpoint: 'email-smtp.us-east-2.amazonaws.com',
      password: VECTOR.password,
    });
  });

  it('reports the FIPS endpoint with --fips', async () => {
    const io = fakeIo(VECTOR.secretAccessKey);
    expect(await main(['derive', '--region', 'us-east-2', '--fips', '--json'], io)).toBe(0);
    expect(JSON.parse(io.out())).toMatchObject({
      endpoint: 'email-smtp-fips.us-east-2.amazonaws.com',
      password: VECTOR.password,
    });
  });

  it.each(['il-central-1', 'ap-northeast-3', 'us-gov-east-1'])('derives for %s', async (region) => {
    const io = fakeIo(VECTOR.secretAccessKey);
    expect(await main(['derive', '--region', region], io)).toBe(0);
    expect(io.out()).toMatch(/^B[A-Za-z0-9+/]{43}\n$/);
  });

  it('warns on stderr for a region not known to have an SMTP endpoint, and still derives', async () => {
    const io = fakeIo(VECTOR.secretAccessKey);
    expect(await main(['derive', '--region', 'il-central-1'], io)).toBe(0);
    expect(io.err()).toContain('warning: region il-central-1 is not in');
    expect(io.out()).toMatch(/^B/);
  });

  it('refuses a secret given as an argument and explains shell history', async () => {
    const io = fakeIo('');
    expect(await main(['derive', '--region', 'eu-west-1', VECTOR.secretAccessKey], io)).toBe(2);
    expect(io.err()).toContain('shell history');
    expect(io.err()).not.toContain(VECTOR.secretAccessKey);
    expect(io.out()).toBe('');
  });

  it('refuses a --secret-access-key flag the same way', async () => {
    const io = fakeIo('');
    expect(await main(['derive', '--region', 'eu-west-1', `--secret-access-key=${VECTOR.secretAccessKey}`], io)).toBe(
      2,
    );
    expect(io.err()).toContain('shell history');
    expect(io.err()).not.toContain(VECTOR.secretAccessKey);
  });

  it.each([
    [['derive'], 'x', '--region is required'],
    [['derive', '--region', 'EU-West-1'], 'x', 'is not an AWS region name'],
    [['derive', '--region', 'eu_west_1'], 'x', 'for example eu-west-1'],
    [['derive', '--region', 'eu-west-1'], '', 'no secret access key on standard input'],
    [['derive', '--region', 'eu-west-1'], 'a\nb\n', 'more than one line'],
    [['derive', '--region', 'eu-west-1', '--bogus'], 'x', "Unknown option '--bogus'"],
  ])('fails for %j with a clear message', async (argv, stdin, message) => {
    const io = fakeIo(stdin);
    const code = await main(argv, io);
    expect(code).toBeGreaterThan(0);
    expect(io.err()).toContain(message);
    expect(io.out()).toBe('');
  });

  // Each refusal: exit 2, a message saying what the input looks like, and the input never echoed.
  const KEY = VECTOR.secretAccessKey;
  it.each([
    ['an access key id', 'AKIAIOSFODNN7EXAMPLE\n', 'looks like an access key id (AKIA…)'],
    ['a temporary access key id', 'ASIAIOSFODNN7EXAMPLE\n', 'temporary (STS) access key id'],
    ['a SigV4 SMTP password', `${VECTOR.password}\n`, 'looks like an SES SMTP password already'],
    ['a SigV2 SMTP password', `${SIGV2_VECTORS[2]!.password}\n`, 'legacy SigV2 SES SMTP password'],
    ['three letters', 'abc\n', 'too short (3 characters'],
    ['a key missing its last character', `${KEY.slice(0, 39)}\n`, 'too short (39 characters'],
    ['a key and more', `${KEY}${KEY.slice(0, 5)}\n`, 'too long (45 characters'],
    ['two lines', `${KEY}\n${KEY}\n`, 'more than one line'],
    ['white space inside', `${KEY.slice(0, 20)} ${KEY.slice(20)}\n`, 'white space'],
    ['a trailing space', `${KEY} \n`, 'white space'],
    ['a URL-safe copy', `${KEY.replace('/', '_')}\n`, 'outside A-Z a-z 0-9 + /'],
    ['more than the cap', `${KEY}\n`.repeat(200), `more than ${MAX_INPUT_BYTES} bytes`],
  ])('refuses %s with exit 2, saying what it looks like, without echoing it', async (_name, stdin, message) => {
    // Prepare
    const io = fakeIo(stdin);

    // Act
    const code = await main(['derive', '--region', 'eu-west-1'], io);

    // Assess
    expect(code).toBe(2);
    expect(io.err()).toContain(message);
    expect(io.out()).toBe('');
    const output = io.out() + io.err();
    for (const part of stdin.split(/\s+/).filter((p) => p.length >= 8)) {
      expect(output).not.toContain(part);
      expect(output).not.toContain(part.slice(0, 16));
    }
  });

  it('stops reading an endless input at the cap instead of buffering it', async () => {
    // Prepare: a stream that would never end on its own (megabytes and more).
    let produced = 0;
    const stdin = new Readable({
      read() {
        produced += 65536;
        this.push(Buffer.alloc(65536, 'A'));
      },
    });
    const io = { ...fakeIo(''), stdin };

    // Act
    const code = await main(['derive', '--region', 'eu-west-1'], io);

    // Assess
    expect(code).toBe(2);
    expect(io.err()).toContain(`more than ${MAX_INPUT_BYTES} bytes`);
    expect(produced).toBeLessThan(1024 * 1024);
    expect(stdin.destroyed).toBe(true);
  });

  it('uses exit code 2 for usage errors and 1 for an invalid region', async () => {
    expect(await main(['derive'], fakeIo('x'))).toBe(2);
    expect(await main(['derive', '--region', 'EU-West-1'], fakeIo('x'))).toBe(1);
  });

  it('prints its help with --help', async () => {
    const io = fakeIo('');
    expect(await main(['derive', '--help'], io)).toBe(0);
    expect(io.out()).toContain('Usage: <secret on stdin> | ses-smtp-rotation derive --region <region>');
  });
});
