/**
 * The grammars the function, the secret's parser, the CLI and the CDK construct share. One definition each: what
 * the construct accepts at synth is what the function accepts at run time, and the reverse.
 */

/** An IAM user name: 1–64 of letters, digits and `+=,.@_-`. */
export const IAM_USER_NAME = /^[\w+=,.@-]{1,64}$/;

/** A DNS host name: labels of 1–63 letters, digits and inner hyphens, 253 characters at most. */
export const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/**
 * An endpoint field of the secret: a host name in lower case (the documents compare it with the relay host
 * lower-cased, so a mixed-case value could never match).
 */
export function isSecretEndpoint(host: string): boolean {
  return HOST_NAME.test(host) && host === host.toLowerCase();
}

/** A tag key Run Command can target (`tag:<key>`): EC2's tag-key characters, 1–128 of them. */
export const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;

/** SendCommand accepts at most 50 values per tag key. */
export const MAX_TAG_VALUES = 50;

/** One tag key and the values that select hosts (values ORed; several keys ANDed, as SSM does). */
export interface TagTarget {
  readonly key: string;
  readonly values: readonly string[];
}

/** What the `Key=v1,v2;Key2=v` text must look like, for error messages. */
export const TAG_TARGETS_FORMAT = `Key=value1,value2;OtherKey=value (1–${MAX_TAG_VALUES} values per key)`;

/**
 * Reads `Role=relay,relay-dr;Env=prod` (the function's FLEET_TARGET_TAGS, the CDK context key fleetTags).
 * @returns the targets, or undefined when the text does not follow {@link TAG_TARGETS_FORMAT}
 */
export function readTagTargets(text: string): TagTarget[] | undefined {
  const targets: TagTarget[] = [];
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return undefined;
    const key = part.slice(0, eq).trim();
    const values = part
      .slice(eq + 1)
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== '');
    if (!TAG_KEY.test(key) || values.length === 0 || values.length > MAX_TAG_VALUES) return undefined;
    targets.push({ key, values });
  }
  return targets;
}

/** Writes targets in the format {@link readTagTargets} reads. */
export function formatTagTargets(targets: readonly TagTarget[]): string {
  return targets.map((t) => `${t.key}=${t.values.join(',')}`).join(';');
}
