/**
 * Every sub-command's name, help line and --json keys, and how to load the rest. A command's module (and the SDK
 * clients it imports) loads only when that command runs or prints its help: `--version`, the tool's help and the
 * offline demo do not pay for the AWS-calling commands. So this module imports no command and no SDK client.
 */
import type { CommandBody, CommandInfo } from './command';
import { emptyRotateReport } from './commands/rotate-report';
import { emptyStatusReport } from './status-view';

/** A sub-command as the tool knows it before loading it. */
export interface CommandEntry extends CommandInfo {
  /** Loads the command's module (tsc compiles `import()` to a `require` made when it is called). */
  load(): Promise<CommandBody>;
}

/** Every sub-command, in the order `--help` lists them. */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'derive',
    summary: 'derive the SES SMTP password of a secret access key read from stdin',
    load: async () => (await import('./commands/derive')).deriveCommand,
  },
  {
    name: 'lint-document',
    summary: 'check a customized SSM document (JSON or YAML) keeps the rotation guarantees',
    jsonFields: ['ok', 'error', 'files'],
    load: async () => (await import('./commands/lint-document')).lintDocumentCommand,
  },
  {
    name: 'demo',
    summary: 'run a whole rotation offline against a local sandbox (no AWS account needed)',
    load: async () => (await import('./commands/demo')).demoCommand,
  },
  {
    name: 'rotate',
    summary: 'rotate now (RotateSecret); --wait follows it step by step',
    jsonFields: Object.keys(emptyRotateReport('', false)),
    load: async () => (await import('./commands/rotate')).rotateCommand,
  },
  {
    // status.ts still declares its own name and summary; these are the ones the tool prints.
    name: 'status',
    summary: 'labels, keys, last push per host, and what to do next',
    jsonFields: Object.keys(emptyStatusReport()),
    load: async () => (await import('./commands/status')).statusCommand,
  },
  {
    name: 'preflight',
    summary: 'check secret, function settings, keys, fleet, document and SMTP endpoint before rotating',
    jsonFields: ['secretArn', 'ok', 'checks', 'error'],
    load: async () => (await import('./commands/preflight')).preflightCommand,
  },
  {
    name: 'retire',
    summary: "show the old key's retirement; --reactivate, --resume or --now",
    load: async () => (await import('./commands/retire')).retireCommand,
  },
  {
    name: 'consumers',
    summary: 'add, list or remove the manual consumers (systems changed by hand) of a secret',
    jsonFields: ['secretArn', 'table', 'consumers'],
    load: async () => (await import('./commands/consumers')).consumersCommand,
  },
  {
    name: 'credential',
    summary: 'show the pending credential to configure a manual consumer (--pending --reveal)',
    jsonFields: ['secretArn', 'versionId', 'username', 'password', 'endpoint', 'port', 'region'],
    load: async () => (await import('./commands/credential')).credentialCommand,
  },
  {
    name: 'confirm',
    summary: 'confirm that a manual consumer uses the pending credential (the last one resumes the rotation)',
    jsonFields: ['secretArn', 'versionId', 'consumer', 'confirmedBy', 'confirmedAt', 'note', 'pending', 'resumed'],
    load: async () => (await import('./commands/confirm')).confirmCommand,
  },
];
