import { integer, namedBits, oid, time, tlv } from '../../src/sandbox/der';

const hex = (b: Buffer) => b.toString('hex');

describe('der', () => {
  it('encodes short and long definite lengths', () => {
    expect(hex(tlv(0x04, Buffer.alloc(3)))).toBe('0403000000');
    expect(hex(tlv(0x04, Buffer.alloc(200))).slice(0, 6)).toBe('0481c8');
    expect(hex(tlv(0x04, Buffer.alloc(300))).slice(0, 8)).toBe('0482012c');
  });

  it('encodes integers minimally, with a leading zero only when the top bit is set', () => {
    expect(hex(integer(Buffer.from([0x00, 0x00, 0x05])))).toBe('020105');
    expect(hex(integer(Buffer.from([0x80])))).toBe('02020080');
    expect(hex(integer(Buffer.from([0x00, 0x80])))).toBe('02020080');
    expect(hex(integer(Buffer.from([0x00])))).toBe('020100');
  });

  it('encodes object identifiers with base-128 arcs', () => {
    expect(hex(oid('1.2.840.10045.4.3.2'))).toBe('06082a8648ce3d040302');
    expect(hex(oid('2.5.29.17'))).toBe('0603551d11');
  });

  it('drops trailing zero bits of a named-bit string', () => {
    expect(hex(namedBits(0x80))).toBe('03020780');
    expect(hex(namedBits(0x06))).toBe('03020106');
  });

  it('writes UTCTime through 2049 and GeneralizedTime from 2050', () => {
    expect(
      time(new Date(Date.UTC(2026, 10, 30, 1, 2, 3)))
        .toString('latin1')
        .slice(2),
    ).toBe('261130010203Z');
    expect(
      time(new Date(Date.UTC(2050, 0, 1)))
        .toString('latin1')
        .slice(2),
    ).toBe('20500101000000Z');
    expect(time(new Date(Date.UTC(2050, 0, 1)))[0]).toBe(0x18);
  });
});
