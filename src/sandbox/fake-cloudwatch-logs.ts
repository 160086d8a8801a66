/**
 * A stateful fake of the CloudWatch Logs reads the operator CLI makes: log groups holding the rotation function's
 * lines (the sandbox forwards what the handler logs), and FilterLogEvents with its semantics as far as the CLI
 * relies on them: ResourceNotFoundException for a missing group, startTime/endTime (inclusive, epoch ms), pages of
 * at most `limit` events with a `nextToken` while more match, events in timestamp order, and filter patterns of two
 * kinds — terms (`"step failed" AKIA`: every term appears) and JSON (`{ $.a = "x" && ($.b = "y" || $.b = "z") }`,
 * string equality and inequality). Anything else is an InvalidParameterException, so an unmodelled query fails loudly.
 */
import {
  InvalidParameterException,
  ResourceNotFoundException,
  type FilteredLogEvent,
  type FilterLogEventsCommandInput,
  type FilterLogEventsCommandOutput,
} from '@aws-sdk/client-cloudwatch-logs';
import type { Clock } from '../core/clock';
import { meta, type Output } from './sdk-output';

interface StoredEvent {
  readonly logStreamName: string;
  readonly timestamp: number;
  readonly ingestionTime: number;
  readonly message: string;
  readonly eventId: string;
}

/** The sandbox's CloudWatch Logs. */
export class FakeCloudWatchLogs {
  private readonly groups = new Map<string, StoredEvent[]>();
  /** The most events one FilterLogEvents page returns (AWS: up to 10,000 or 1 MB); tests lower it to page. */
  pageSize = 10_000;

  constructor(private readonly clock: Clock) {}

  createLogGroup(name: string): void {
    if (!this.groups.has(name)) this.groups.set(name, []);
  }

  deleteLogGroup(name: string): void {
    this.groups.delete(name);
  }

  /** Appends one line to a group's stream (dropped when the group does not exist, as Lambda's would be). */
  put(group: string, logStreamName: string, message: string, timestamp = this.clock.now()): void {
    const events = this.groups.get(group);
    if (!events) return;
    events.push({
      logStreamName,
      timestamp,
      ingestionTime: this.clock.now(),
      message,
      eventId: String(events.length).padStart(20, '0'),
    });
  }

  /** Every line of a group (for tests). */
  lines(group: string): readonly string[] {
    return (this.groups.get(group) ?? []).map((e) => e.message);
  }

  filterLogEvents(input: FilterLogEventsCommandInput): Output<FilterLogEventsCommandOutput> {
    const name = input.logGroupName ?? input.logGroupIdentifier?.replace(/^arn:[^:]*:logs:[^:]*:\d*:log-group:/, '');
    if (!name)
      throw new InvalidParameterException({ message: 'logGroupName or logGroupIdentifier is required', ...meta });
    const events = this.groups.get(name);
    if (!events) throw new ResourceNotFoundException({ message: 'The specified log group does not exist.', ...meta });
    const limit = input.limit ?? 10_000;
    if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
      throw new InvalidParameterException({ message: '1 validation error detected: limit', ...meta });
    }
    const matches = compilePattern(input.filterPattern ?? '');
    const selected = events
      .filter((e) => input.startTime === undefined || e.timestamp >= input.startTime)
      .filter((e) => input.endTime === undefined || e.timestamp <= input.endTime)
      .filter((e) => matches(e.message))
      .sort((a, b) => a.timestamp - b.timestamp || a.eventId.localeCompare(b.eventId));
    const offset = input.nextToken ? decodeToken(input.nextToken) : 0;
    const size = Math.min(limit, this.pageSize);
    const page = selected.slice(offset, offset + size);
    const next = offset + size < selected.length ? encodeToken(offset + size) : undefined;
    return {
      events: page.map((e): FilteredLogEvent => ({ ...e })),
      searchedLogStreams: [],
      ...(next ? { nextToken: next } : {}),
    };
  }
}

function encodeToken(offset: number): string {
  return Buffer.from(`page:${offset}`).toString('base64');
}

function decodeToken(token: string): number {
  const match = /^page:(\d+)$/.exec(Buffer.from(token, 'base64').toString('utf8'));
  if (!match) throw new InvalidParameterException({ message: 'The specified nextToken is invalid.', ...meta });
  return Number(match[1]);
}

type Matcher = (message: string) => boolean;

/** Compiles the modelled subset of the filter pattern syntax. */
export function compilePattern(pattern: string): Matcher {
  const text = pattern.trim();
  if (text === '') return () => true;
  if (text.startsWith('{')) return compileJson(text);
  const terms = [...text.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');
  if (terms.some((t) => /^[?-]/.test(t))) throw unsupported(pattern);
  return (message) => terms.every((t) => message.includes(t));
}

function compileJson(pattern: string): Matcher {
  const tokens = [...pattern.matchAll(/\s*(\{|\}|\(|\)|&&|\|\||!=|=|\$[\w.]+|"(?:[^"\\]|\\.)*"|[\w.:@/-]+)/gy)].map(
    (m) => m[1] ?? '',
  );
  if (tokens.join('').replace(/\s/g, '') !== pattern.replace(/\s/g, '')) throw unsupported(pattern);
  let at = 0;
  const peek = () => tokens[at];
  const take = (expected?: string) => {
    const token = tokens[at++];
    if (token === undefined || (expected !== undefined && token !== expected)) throw unsupported(pattern);
    return token;
  };
  type Node = (json: unknown) => boolean;
  const comparison = (): Node => {
    if (peek() === '(') {
      take('(');
      const inner = disjunction();
      take(')');
      return inner;
    }
    const selector = take();
    if (!selector.startsWith('$.')) throw unsupported(pattern);
    const operator = take();
    if (operator !== '=' && operator !== '!=') throw unsupported(pattern);
    const raw = take();
    const value = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw;
    const path = selector.slice(2).split('.');
    return (json) => {
      const found = path.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as never)[k] : undefined), json);
      const equal = found !== undefined && String(found) === value;
      return operator === '=' ? equal : found !== undefined && !equal;
    };
  };
  const conjunction = (): Node => {
    const parts = [comparison()];
    while (peek() === '&&') parts.push((take(), comparison()));
    return (json) => parts.every((p) => p(json));
  };
  const disjunction = (): Node => {
    const parts = [conjunction()];
    while (peek() === '||') parts.push((take(), conjunction()));
    return (json) => parts.some((p) => p(json));
  };
  take('{');
  const root = disjunction();
  take('}');
  if (at !== tokens.length) throw unsupported(pattern);
  return (message) => {
    let json: unknown;
    try {
      json = JSON.parse(message);
    } catch {
      return false; // JSON patterns never match a line that is not JSON
    }
    return root(json);
  };
}

function unsupported(pattern: string): InvalidParameterException {
  return new InvalidParameterException({
    message: `Invalid filter pattern (the sandbox models terms and JSON equality only): ${pattern.slice(0, 80)}`,
    ...meta,
  });
}
