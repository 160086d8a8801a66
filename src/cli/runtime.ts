/**
 * What the AWS-facing commands need besides streams: AWS clients, a clock, the poll interval, DNS and the SMTP
 * reachability check. Production uses the defaults; tests and the offline demo pass an {@link Io} that also carries
 * a `runtime` (virtual clock, loopback DNS, a stubbed SMTP check) and still run the commands through `main`.
 */
import { lookup } from 'node:dns/promises';
import { systemClock, type Clock } from '../core/clock';
import { createAwsClients, type AwsClients, type AwsTarget } from './aws-clients';
import type { Io } from './io';
import { checkSmtpService, type SmtpServiceCheck } from './smtp-reachability';

/** Resolves a host name to addresses (dns.promises.lookup in production). */
export type Resolve = (host: string) => Promise<string[]>;

/** The injectable parts of a command's world. */
export interface CliRuntime {
  readonly clock: Clock;
  /** Milliseconds between polls of `rotate --wait` (default 5 s, SSM's advice for ListCommands). */
  readonly pollIntervalMs: number;
  clients(target: AwsTarget): AwsClients;
  readonly resolve: Resolve;
  readonly checkSmtp: SmtpServiceCheck;
}

/** An {@link Io} that may carry replacements for the runtime. */
export interface RuntimeIo extends Io {
  readonly runtime?: Partial<CliRuntime>;
}

/** The production runtime. */
export const defaultRuntime: CliRuntime = {
  clock: systemClock,
  pollIntervalMs: 5_000,
  clients: createAwsClients,
  resolve: async (host) => (await lookup(host, { all: true })).map((a) => a.address),
  checkSmtp: checkSmtpService,
};

/** The runtime of a command: the defaults with whatever the io replaces. */
export function runtimeOf(io: Io): CliRuntime {
  return { ...defaultRuntime, ...((io as RuntimeIo).runtime ?? {}) };
}
