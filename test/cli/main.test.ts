import { main } from '../../src/cli/main';
import { fakeIo } from './fake-io';

describe('main', () => {
  it('lists the commands with --help', async () => {
    const io = fakeIo();
    expect(await main(['--help'], io)).toBe(0);
    expect(io.out()).toContain('Usage: ses-smtp-rotation <command>');
    for (const command of ['derive', 'rotate', 'status', 'preflight', 'lint-document', 'demo']) {
      expect(io.out()).toMatch(new RegExp(`^  ${command} +\\S`, 'm'));
    }
  });

  it.each(['derive', 'rotate', 'status', 'preflight', 'lint-document', 'demo'])(
    'prints the help of %s with --help and -h, and runs nothing',
    async (command) => {
      for (const flag of ['--help', '-h']) {
        const io = fakeIo();
        expect(await main([command, flag], io)).toBe(0);
        expect(io.out()).toMatch(/^Usage: /m);
        expect(io.err()).toBe('');
      }
    },
  );

  it('exits with 2 and the help when no command is given', async () => {
    const io = fakeIo();
    expect(await main([], io)).toBe(2);
    expect(io.err()).toContain('Commands:');
  });

  it('exits with 2 for an unknown command', async () => {
    const io = fakeIo();
    expect(await main(['rotat'], io)).toBe(2);
    expect(io.err()).toContain('unknown command "rotat"');
  });
});
