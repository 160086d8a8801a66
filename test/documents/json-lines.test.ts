import { looksLikeJson, member, parseJsonWithLines } from '../../src/documents/json-lines';
import { JsonSyntaxError } from '../../src/documents/errors';

describe('parseJsonWithLines', () => {
  it('records the line of every key and value', () => {
    // Prepare
    const text = '{\n  "a": 1,\n  "b": [\n    "x",\n    "y\\n"\n  ],\n  "c": {"d": null, "e": true}\n}\n';

    // Act
    const root = parseJsonWithLines(text);

    // Assess
    expect(member(root, 'a')?.keyLine).toBe(2);
    const b = member(root, 'b')?.value;
    expect(b?.kind === 'array' && b.items.map((i) => [i.line, i.kind === 'string' && i.value])).toEqual([
      [4, 'x'],
      [5, 'y\n'],
    ]);
    expect(member(member(root, 'c')?.value, 'e')).toEqual({
      keyLine: 7,
      value: { kind: 'boolean', line: 7, value: true },
    });
  });

  it.each([
    ['{"a": 1,}', 1],
    ['{\n"a": 1\n"b": 2}', 3],
    ['{"a": "x', 1],
    ['{"a": 1} x', 1],
    ['{"a": 1, "a": 2}', 1],
    ['{"a": \'x\'}', 1],
  ])('refuses %j at line %i', (text, line) => {
    expect(() => parseJsonWithLines(text)).toThrow(JsonSyntaxError);
    try {
      parseJsonWithLines(text);
    } catch (error) {
      expect((error as JsonSyntaxError).line).toBe(line);
    }
  });

  it('agrees with JSON.parse on the values', () => {
    const text = '{"n": -1.5e3, "s": "\\u00e9\\"", "z": 0}';
    const root = parseJsonWithLines(text);
    expect(member(root, 'n')?.value).toMatchObject({ value: -1500 });
    expect(member(root, 's')?.value).toMatchObject({ value: JSON.parse(text).s });
  });
});

describe('looksLikeJson', () => {
  it('tells a JSON object, even broken, from YAML', () => {
    expect(looksLikeJson('{"schemaVersion": "2.2",}')).toBe(true);
    expect(looksLikeJson('\uFEFF\n  {"a": 1}')).toBe(true);
    expect(looksLikeJson('schemaVersion: "2.2"\n')).toBe(false);
    expect(looksLikeJson('---\nfoo: 1\n')).toBe(false);
  });
});
