/**
 * The few DER (ASN.1 Distinguished Encoding Rules) building blocks an X.509 certificate needs, for the sandbox's
 * throw-away CA. Write-only and minimal: every value is encoded in its one canonical DER form, so Node's
 * `X509Certificate` and OpenSSL read the result like any other certificate.
 */

/** One encoded element (tag, length and contents). */
export type Der = Buffer;

/** Tag + definite length + contents. */
export function tlv(tag: number, contents: Buffer): Der {
  const n = contents.length;
  let length: Buffer;
  if (n < 0x80) length = Buffer.from([n]);
  else if (n < 0x100) length = Buffer.from([0x81, n]);
  else if (n < 0x10000) length = Buffer.from([0x82, n >> 8, n & 0xff]);
  else throw new RangeError('DER element too long for this encoder (64 KiB)');
  return Buffer.concat([Buffer.from([tag]), length, contents]);
}

export function sequence(...items: Der[]): Der {
  return tlv(0x30, Buffer.concat(items));
}

export function set(...items: Der[]): Der {
  return tlv(0x31, Buffer.concat(items));
}

/** A non-negative INTEGER from big-endian bytes (a 0x00 is prepended when the top bit is set). */
export function integer(bytes: Buffer): Der {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0 && ((bytes[start + 1] ?? 0) & 0x80) === 0) start += 1;
  const trimmed = bytes.subarray(start);
  return tlv(0x02, (trimmed[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

export function boolean(value: boolean): Der {
  return tlv(0x01, Buffer.from([value ? 0xff : 0x00]));
}

export function octetString(contents: Buffer): Der {
  return tlv(0x04, contents);
}

/** A BIT STRING of whole bytes (no unused bits), e.g. a signature. */
export function bitString(contents: Buffer): Der {
  return tlv(0x03, Buffer.concat([Buffer.from([0]), contents]));
}

/** A named-bit BIT STRING from its first byte (bit 0 = 0x80), with trailing zero bits dropped as DER requires. */
export function namedBits(byte: number): Der {
  if (byte === 0) return tlv(0x03, Buffer.from([0]));
  let unused = 0;
  while (((byte >> unused) & 1) === 0) unused += 1;
  return tlv(0x03, Buffer.from([unused, byte]));
}

export function utf8String(text: string): Der {
  return tlv(0x0c, Buffer.from(text, 'utf8'));
}

/** An OBJECT IDENTIFIER from its dotted form. */
export function oid(dotted: string): Der {
  const arcs = dotted.split('.').map(Number);
  const body: number[] = [40 * (arcs[0] ?? 0) + (arcs[1] ?? 0)];
  for (const arc of arcs.slice(2)) {
    const chunk: number[] = [arc & 0x7f];
    for (let rest = Math.floor(arc / 128); rest > 0; rest = Math.floor(rest / 128)) chunk.unshift((rest & 0x7f) | 0x80);
    body.push(...chunk);
  }
  return tlv(0x06, Buffer.from(body));
}

/** RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050. */
export function time(date: Date): Der {
  const iso = date.toISOString();
  const digits = iso.slice(0, 19).replace(/[-:T]/g, '');
  return date.getUTCFullYear() < 2050
    ? tlv(0x17, Buffer.from(`${digits.slice(2)}Z`, 'ascii'))
    : tlv(0x18, Buffer.from(`${digits}Z`, 'ascii'));
}

/** A context-specific tag: `[n]` EXPLICIT (constructed, wrapping an element) or IMPLICIT (primitive contents). */
export function contextTag(n: number, contents: Buffer, constructed: boolean): Der {
  return tlv((constructed ? 0xa0 : 0x80) | n, contents);
}
