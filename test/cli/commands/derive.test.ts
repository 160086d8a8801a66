import { main } from '../../../src/cli/main';
import { SIGV4_VECTORS } from '../../fixtures/smtp-password-vectors';
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
