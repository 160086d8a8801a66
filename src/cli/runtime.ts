/**
 * What the AWS-facing commands need besides streams: AWS clients, a clock, the poll interval, DNS and the SMTP
 * reachability check. Production uses the defaults; tests and the offline demo pass an {@link Io} that also carries
 * a `runtime` (virtual clock, loopback DNS, a stubbed SMTP check) and still run the commands through `main`.
 */
import { lookup } from 'node:dns/promises';
import { systemClock, type Clock } from '../core/clock';
import { awsTarget, createAwsClients, type AwsClients, type AwsTarget } from './aws-clients';
import type { Io } from './io';
import { checkSmtpService, type SmtpServiceCheck } from './smtp-reachability';
import { UsageError } from './errors';

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
  /**
   * Calls `listener` when the operator presses Ctrl-C (SIGINT) while a command waits; returns the function that
   * stops listening. While listening, Ctrl-C does not kill the process: the command ends its wait and says so.
   */
  onInterrupt(listener: () => void): () => void;
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
  onInterrupt: (listener) => {
    process.once('SIGINT', listener);
    return () => void process.removeListener('SIGINT', listener);
  },
};

/** The runtime of a command: the defaults with whatever the io replaces. */
export function runtimeOf(io: Io): CliRuntime {
  return { ...defaultRuntime, ...((io as RuntimeIo).runtime ?? {}) };
}

/** What every command about one secret starts from: the secret id, the runtime and clients for its region. */
export interface SecretCommandContext {
  readonly secretId: string;
  readonly runtime: CliRuntime;
  readonly clients: AwsClients;
}

/**
 * Reads `--secret-id` (required) and `--region`/`--profile`, and builds the AWS clients.
 * @throws UsageError when --secret-id is missing or --region is malformed
 */
export function secretCommandContext(
  values: { 'secret-id'?: string; region?: string; profile?: string },
  io: Io,
): SecretCommandContext {
  const secretId = values['secret-id'];
  if (!secretId) throw new UsageError('--secret-id is required: the name or ARN of the SMTP credential secret');
  const runtime = runtimeOf(io);
  return { secretId, runtime, clients: runtime.clients(awsTarget(values, io.env, secretId)) };
}
