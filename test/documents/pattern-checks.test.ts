import {
  acceptsPassword,
  admittedDangerousCharacters,
  compileError,
  isAnchored,
} from '../../src/documents/pattern-checks';

describe('isAnchored', () => {
  it.each(['^a$', '^(a|b)$', '^a$|^b$', '^[$]x$', '^a\\\\$'])('accepts %s', (p) => {
    expect(isAnchored(p)).toBe(true);
  });

  it.each(['a', '^a', 'a$', '^a|b$', '^a\\$', '^[a|b]'])('refuses %s', (p) => {
    expect(isAnchored(p)).toBe(false);
  });
});

describe('admittedDangerousCharacters', () => {
  it('finds none in the contract and option patterns', () => {
    for (const p of [
      '^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]+$',
      '^[A-Za-z0-9-]{32,64}$',
      '^(default|/[A-Za-z0-9._/-]{1,200})$',
      '^(?:auto|\\d{1,4})$',
      '^[[:alnum:]_]+$',
    ]) {
      expect(admittedDangerousCharacters(p)).toEqual([]);
    }
  });

  it('names the characters a class or range admits', () => {
    expect(admittedDangerousCharacters("^[a-z' ]+$")).toEqual([' ', "'"]);
    expect(admittedDangerousCharacters('^[!-/]+$')).toEqual(expect.arrayContaining(['!', '"', '#', '$', '&', "'"]));
    expect(admittedDangerousCharacters('^a\\$b$')).toEqual(['$']);
    expect(admittedDangerousCharacters('^a{b}$')).toEqual(['{', '}']);
  });

  it.each(['^.+$', '^[^/]+$', '^\\S+$', '^\\W$', '^[[:print:]]+$', '^\\p{L}+$'])(
    'treats %s as admitting everything',
    (p) => {
      expect(admittedDangerousCharacters(p)).toEqual(expect.arrayContaining(['$', '`', ';', ' ', '\n']));
    },
  );
});

describe('acceptsPassword', () => {
  it('is true for a pattern that holds 44 base64 characters, even unanchored', () => {
    expect(acceptsPassword('^[A-Za-z0-9+/=]{1,100}$')).toBe(true);
    expect(acceptsPassword('[A-Za-z0-9]{8}')).toBe(true);
  });

  it('is false for narrow patterns', () => {
    expect(acceptsPassword('^(auto|yes|no)$')).toBe(false);
    expect(acceptsPassword('^(default|/[A-Za-z0-9._/-]{1,200})$')).toBe(false);
  });
});

describe('compileError', () => {
  it('reports a pattern that does not compile', () => {
    expect(compileError('^[a-$')).toEqual(expect.any(String));
    expect(compileError('^a$')).toBeUndefined();
  });
});
