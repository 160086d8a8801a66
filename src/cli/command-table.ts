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

/** Each command's module, by the command's name. */
const LOADERS: Record<string, () => Promise<CommandBody>> = {
  derive: async () => (await import('./commands/derive')).deriveCommand,
  'lint-document': async () => (await import('./commands/lint-document')).lintDocumentCommand,
  demo: async () => (await import('./commands/demo')).demoCommand,
  rotate: async () => (await import('./commands/rotate')).rotateCommand,
  status: async () => (await import('./commands/status')).statusCommand,
  preflight: async () => (await import('./commands/preflight')).preflightCommand,
  retire: async () => (await import('./commands/retire')).retireCommand,
  consumers: async () => (await import('./commands/consumers')).consumersCommand,
  credential: async () => (await import('./commands/credential')).credentialCommand,
  confirm: async () => (await import('./commands/confirm')).confirmCommand,
};

/** What the tool's help and the JSON error document need of each command, in the order `--help` lists them. */
const INFO: readonly CommandInfo[] = [
  { name: 'derive', summary: 'derive the SES SMTP password of a secret access key read from stdin' },
  {
    name: 'lint-document',
    summary: 'check a customized SSM document (JSON or YAML) keeps the rotation guarantees',
    jsonFields: ['ok', 'error', 'files'],
  },
  { name: 'demo', summary: 'run a whole rotation offline against a local sandbox (no AWS account needed)' },
  {
    name: 'rotate',
    summary: 'rotate now (RotateSecret); --wait follows it step by step',
    jsonFields: Object.keys(emptyRotateReport('', false)),
  },
  {
    name: 'status',
    summary: 'labels, keys, last push per host, and what to do next',
    jsonFields: Object.keys(emptyStatusReport()),
  },
  {
    name: 'preflight',
    summary: 'check secret, function settings, keys, fleet, document and SMTP endpoint before rotating',
    jsonFields: ['secretArn', 'ok', 'checks', 'error'],
  },
  { name: 'retire', summary: "show the old key's retirement; --reactivate, --resume or --now" },
  {
    name: 'consumers',
    summary: 'add, list or remove the manual consumers (systems changed by hand) of a secret',
    jsonFields: ['secretArn', 'table', 'consumers'],
  },
  {
    name: 'credential',
    summary: 'show the pending credential to configure a manual consumer (--pending --reveal)',
    jsonFields: ['secretArn', 'versionId', 'username', 'password', 'endpoint', 'port', 'region'],
  },
  {
    name: 'confirm',
    summary: 'confirm that a manual consumer uses the pending credential (the last one resumes the rotation)',
    jsonFields: ['secretArn', 'versionId', 'consumer', 'confirmedBy', 'confirmedAt', 'note', 'pending', 'resumed'],
  },
];

/** Every sub-command, in the order `--help` lists them, with its loader. */
export const COMMANDS: readonly CommandEntry[] = INFO.map((info) => ({ ...info, load: LOADERS[info.name]! }));
