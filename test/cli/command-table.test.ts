import { COMMANDS } from '../../src/cli/command-table';
import type { CommandInfo } from '../../src/cli/command';
import { fakeIo } from './fake-io';

describe('COMMANDS', () => {
  it.each(COMMANDS.map((c) => c.name))('loads the module whose help is the usage of %s', async (name) => {
    const entry = COMMANDS.find((c) => c.name === name)!;

    const body = await entry.load();

    expect(body.help.split('\n')[0]).toMatch(new RegExp(`^Usage: .*ses-smtp-rotation ${name} `));
  });

  it('is the one place a command is named: no module declares its own name, summary or --json keys', async () => {
    for (const entry of COMMANDS) {
      const body = (await entry.load()) as Partial<CommandInfo>;
      expect({ command: entry.name, name: body.name, summary: body.summary, jsonFields: body.jsonFields }).toEqual({
        command: entry.name,
      });
    }
  });
});

describe('main', () => {
  // Each command's module is `commands/<name>`: record which ones main loads.
  let loaded: string[];
  beforeEach(() => {
    jest.resetModules();
    loaded = [];
    for (const { name } of COMMANDS) {
      jest.doMock(`../../src/cli/commands/${name}`, () => {
        loaded.push(name);
        return jest.requireActual(`../../src/cli/commands/${name}`);
      });
    }
  });
  afterEach(() => jest.resetModules());

  it('loads no command module for --version, the help, no command or an unknown command', async () => {
    const { main } = await import('../../src/cli/main');

    for (const argv of [['--version'], ['--help'], [], ['rotat']]) await main(argv, fakeIo());

    expect(loaded).toEqual([]);
  });

  it("loads only the named command's module when it prints its help or runs", async () => {
    const { main } = await import('../../src/cli/main');

    expect(await main(['rotate', '--help'], fakeIo())).toBe(0);
    expect(await main(['lint-document', '--no-such-flag'], fakeIo())).toBe(2);

    expect(loaded).toEqual(['rotate', 'lint-document']);
  });
});
