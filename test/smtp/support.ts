import { randomBytes } from 'node:crypto';
import type { Clock } from '../../src/core/clock';
import { deriveSmtpPassword } from '../../src/core/smtp-password';
import { secretForms } from '../../src/smtp/redact';

/** A clock whose sleeps return at once and advance virtual time: backoff runs in no real time. */
export class VirtualClock implements Clock {
  readonly sleeps: number[] = [];
  constructor(private time = 1_700_000_000_000) {}
  now(): number {
    return this.time;
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.time += ms;
  }
}

/** A fresh credential per test run: the access key id is AWS's documented example, the password is random. */
export function testCredential(region = 'eu-west-1'): { username: string; password: string; secretKey: string } {
  const secretKey = randomBytes(30)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, 'x')
    .slice(0, 40);
  return { username: 'AKIAIOSFODNN7EXAMPLE', password: deriveSmtpPassword(secretKey, region), secretKey };
}

/**
 * Every text an error exposes: name, message, stack and own properties (JSON), down the `cause` chain.
 */
export function exposedText(error: unknown, depth = 0): string {
  if (depth > 10 || error === undefined || error === null) return '';
  if (typeof error !== 'object') return String(error);
  const e = error as Error & { cause?: unknown };
  const own: Record<string, unknown> = {};
  for (const key of Object.getOwnPropertyNames(e)) {
    if (key !== 'cause') own[key] = (e as unknown as Record<string, unknown>)[key];
  }
  return [e.name, e.message, e.stack, safeJson(own), exposedText(e.cause, depth + 1)].join('\n');
}

/** Fails when any form of the password (raw, base64, AUTH PLAIN token) or the secret key appears in the texts. */
export function expectNoSecret(
  texts: readonly string[],
  credential: { username: string; password: string; secretKey?: string },
): void {
  const forms = [...secretForms(credential.username, credential.password), credential.secretKey ?? ''].filter(Boolean);
  for (const text of texts) {
    for (const form of forms) {
      expect(text.includes(form) ? `secret form found in: ${text.slice(0, 120)}` : 'clean').toBe('clean');
    }
  }
}

/** Captures everything written to the console and to stdout/stderr while a test runs. */
export function captureOutput(): { lines: string[]; restore: () => void } {
  const lines: string[] = [];
  const spies = [
    ...(['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
      jest.spyOn(console, m).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' '))),
    ),
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => (lines.push(String(chunk)), true)),
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => (lines.push(String(chunk)), true)),
  ];
  return { lines, restore: () => spies.forEach((s) => s.mockRestore()) };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return '';
  }
}
