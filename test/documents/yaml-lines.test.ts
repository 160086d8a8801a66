import { member } from '../../src/documents/json-lines';
import { lintDocumentText } from '../../src/documents/lint';
import { parseYamlWithLines } from '../../src/documents/yaml-lines';
import { lineWhere, shippedAsYamlBlocks, shippedAsYamlList } from './yaml-translation';
import { YamlSyntaxError } from '../../src/documents/errors';

describe('parseYamlWithLines', () => {
  it('records the line of every key and value, and of each line of a literal block', () => {
    // Prepare
    const text = 'a: 1\nb:\n  - x\n  - |\n    one\n    two\nc: {d: null, e: true}\n';

    // Act
    const root = parseYamlWithLines(text);

    // Assess
    expect(member(root, 'a')).toEqual({ keyLine: 1, value: { kind: 'number', line: 1, value: 1 } });
    const b = member(root, 'b')?.value;
    expect(b?.kind === 'array' && b.items).toEqual([
      { kind: 'string', line: 3, value: 'x' },
      { kind: 'string', line: 4, value: 'one\ntwo\n', lines: [5, 6, 7] },
    ]);
    expect(member(member(root, 'c')?.value, 'e')).toEqual({
      keyLine: 7,
      value: { kind: 'boolean', line: 7, value: true },
    });
  });

  it('resolves aliases', () => {
    const root = parseYamlWithLines('a: &p {x: 1}\nb: *p\n');
    expect(member(member(root, 'b')?.value, 'x')?.value).toMatchObject({ kind: 'number', value: 1 });
  });

  it.each([
    ['a: 1\na: 2\n', 2, 'unique'],
    ['a: [1\n', 2, ''],
    ['a: 1\n---\nb: 2\n', 2, 'multiple documents'],
    ['', 1, 'no YAML document'],
  ])('refuses %j at line %i', (text, line, what) => {
    expect(() => parseYamlWithLines(text)).toThrow(YamlSyntaxError);
    try {
      parseYamlWithLines(text);
    } catch (error) {
      expect((error as YamlSyntaxError).line).toBe(line);
      expect((error as YamlSyntaxError).message).toContain(what);
    }
  });
});

describe('lintDocumentText on YAML', () => {
  it.each([
    ['one list item per script line', shippedAsYamlList],
    ['each script as a literal block', shippedAsYamlBlocks],
  ])('finds no problem in the shipped document translated to YAML (%s)', (_name, translate) => {
    expect(lintDocumentText(translate())).toEqual([]);
    expect(lintDocumentText(translate(), 'yaml')).toEqual([]);
  });

  it.each([
    ['one list item per script line', shippedAsYamlList],
    ['each script as a literal block', shippedAsYamlBlocks],
  ])('reports a problem at its line of the YAML file (%s)', (_name, translate) => {
    // Prepare
    const text = translate().replace(/^(\s*(- )?)set \+x$/m, '$1set -x');
    const line = lineWhere(text.replace(/^(\s*)- /gm, '$1'), 'set -x');

    // Act
    const problems = lintDocumentText(text);

    // Assess
    expect(problems).toEqual([{ rule: 'no-trace', line, message: expect.stringContaining('tracing') }]);
  });

  it('reports a parameter without a default at its key line', () => {
    const yaml = shippedAsYamlBlocks();
    const at = yaml.indexOf('default: auto', yaml.indexOf('VerifyRelayAuth:'));
    const text = yaml.slice(0, yaml.lastIndexOf('\n', at)) + yaml.slice(yaml.indexOf('\n', at));
    const problems = lintDocumentText(text);
    expect(problems.map((p) => p.rule)).toEqual(['parameter-default']);
    expect(problems[0]?.line).toBe(lineWhere(text, 'VerifyRelayAuth:'));
  });

  it('explains an unquoted schemaVersion, which YAML reads as a number', () => {
    const text = shippedAsYamlList().replace(/^schemaVersion: .*$/m, 'schemaVersion: 2.2');
    expect(lintDocumentText(text)).toEqual([
      { rule: 'schema-version', line: 1, message: expect.stringContaining('in YAML quote it') },
    ]);
  });

  it('reports a YAML syntax error as a parse problem with its line', () => {
    const text = 'schemaVersion: "2.2"\nparameters:\n  A: 1\n  A: 2\n';
    expect(lintDocumentText(text)).toEqual([
      { rule: 'parse', line: 4, message: expect.stringContaining('not valid YAML') },
    ]);
  });
});
