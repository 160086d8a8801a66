import { DOCUMENT_PARAMETERS } from '../core/document-contract';

/**
 * The shipped SSM Command document, assembled from its scripts. The scripts live as files (ssm-documents/scripts/)
 * so they can be read and linted on their own; the document embeds each step's script line by line, and the tests
 * prove the committed JSON is exactly this assembly. The Linux step is one script made of several parts (shared
 * functions, one part per MTA, the sequence), concatenated: the agent runs one self-contained file.
 */

/** File name of the shipped document under ssm-documents/ (the infrastructure loads `ssm-documents/*.json`). */
export const DOCUMENT_FILE = 'ses-smtp-rotation-update.json';

/** Script files under ssm-documents/ embedded into the document, by step name. */
export const STEP_SCRIPTS = {
  updateIisSmtp: 'scripts/iis-update.ps1',
} as const;

/** The parts of the Linux step (`updateLinuxRelay`) under ssm-documents/, concatenated in this order. */
export const LINUX_SCRIPT_PARTS = [
  'scripts/linux/common.sh',
  'scripts/linux/postfix.sh',
  'scripts/linux/exim.sh',
  'scripts/linux/sendmail.sh',
  'scripts/linux/main.sh',
] as const;

/** One parameter of a Command document, as this project writes them. */
export interface DocumentParameter {
  readonly type: 'String';
  readonly description: string;
  readonly allowedPattern: string;
  readonly interpolationType: 'ENV_VAR';
  readonly default?: string;
}

/** One `aws:runShellScript` / `aws:runPowerShellScript` step. */
export interface DocumentStep {
  readonly action: 'aws:runShellScript' | 'aws:runPowerShellScript';
  readonly name: string;
  readonly precondition: { readonly StringEquals: readonly ['platformType', 'Linux' | 'Windows'] };
  readonly inputs: { readonly timeoutSeconds: string; readonly runCommand: readonly string[] };
}

/** A schema 2.2 Command document. */
export interface CommandDocument {
  readonly schemaVersion: '2.2';
  readonly description: string;
  readonly parameters: Readonly<Record<string, DocumentParameter>>;
  readonly mainSteps: readonly DocumentStep[];
}

/** Optional, non-secret settings beyond the contract; each has a default, so the fleet push never sends them. */
export const OPTIONAL_PARAMETERS: Readonly<Record<string, DocumentParameter>> = {
  Mta: {
    type: 'String',
    description:
      'Linux: the mail server to update: postfix, exim or sendmail; "auto" picks the one installed (exactly one must be).',
    allowedPattern: '^(auto|postfix|exim|sendmail)$',
    interpolationType: 'ENV_VAR',
    default: 'auto',
  },
  PostfixConfigDir: {
    type: 'String',
    description:
      'Linux: Postfix configuration directory (postconf -c); "default" uses MAIL_CONFIG or the built-in one.',
    allowedPattern: '^(default|/[A-Za-z0-9._/-]{1,200})$',
    interpolationType: 'ENV_VAR',
    default: 'default',
  },
  EximConfig: {
    type: 'String',
    description: 'Linux: Exim runtime configuration file (exim4 -C); "default" uses the one Exim is built with.',
    allowedPattern: '^(default|/[A-Za-z0-9._/-]{1,200})$',
    interpolationType: 'ENV_VAR',
    default: 'default',
  },
  SendmailConfig: {
    type: 'String',
    description: 'Linux: sendmail.cf of the Sendmail daemon (its smart host and authinfo map are read from it).',
    allowedPattern: '^/[A-Za-z0-9._/-]{1,200}$',
    interpolationType: 'ENV_VAR',
    default: '/etc/mail/sendmail.cf',
  },
  IisVirtualServers: {
    type: 'String',
    description:
      'Windows: SMTP virtual server numbers to update, e.g. "1,2"; "auto" updates every one whose smart host is the secret\'s endpoint.',
    allowedPattern: '^(auto|[1-9][0-9]{0,3}(,[1-9][0-9]{0,3}){0,31})$',
    interpolationType: 'ENV_VAR',
    default: 'auto',
  },
  VerifyRelayAuth: {
    type: 'String',
    description:
      'Test SMTP AUTH with the new credential against the relay before installing it: auto (when the host can), yes, no.',
    allowedPattern: '^(auto|yes|no)$',
    interpolationType: 'ENV_VAR',
    default: 'auto',
  },
};

/** Splits a script file into the lines the agent writes back out (it joins them with newlines). */
export function scriptLines(script: string): string[] {
  const lines = script.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The script text the agent runs for a step: its lines joined with newlines, ending in one. */
export function stepScript(step: Pick<DocumentStep, 'inputs'>): string {
  return `${step.inputs.runCommand.join('\n')}\n`;
}

/** The Linux step's script: its parts (each ending in a newline) one after the other. */
export function linuxScript(parts: readonly string[]): string {
  return parts.join('');
}

/** Builds the document from the step scripts (`linux`: the concatenated Linux parts). */
export function assembleDocument(scripts: { readonly linux: string; readonly iis: string }): CommandDocument {
  const contract: Record<string, DocumentParameter> = {};
  for (const [name, spec] of Object.entries(DOCUMENT_PARAMETERS)) {
    contract[name] = {
      type: 'String',
      description: spec.description,
      allowedPattern: spec.allowedPattern,
      interpolationType: 'ENV_VAR',
    };
  }
  return {
    schemaVersion: '2.2',
    description:
      'ses-smtp-rotation: installs one version of the SES SMTP credential on a mail relay (Postfix, Exim or Sendmail ' +
      'on Linux, IIS SMTP on Windows). The host reads the secret version itself with its own role; no credential travels in parameters.',
    parameters: { ...contract, ...OPTIONAL_PARAMETERS },
    mainSteps: [
      {
        action: 'aws:runShellScript',
        name: 'updateLinuxRelay',
        precondition: { StringEquals: ['platformType', 'Linux'] },
        inputs: { timeoutSeconds: '600', runCommand: scriptLines(scripts.linux) },
      },
      {
        action: 'aws:runPowerShellScript',
        name: 'updateIisSmtp',
        precondition: { StringEquals: ['platformType', 'Windows'] },
        inputs: { timeoutSeconds: '600', runCommand: scriptLines(scripts.iis) },
      },
    ],
  };
}
