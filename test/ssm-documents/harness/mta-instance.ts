import { createTransport } from 'nodemailer';

/** What the Exim and Sendmail scenarios need from a throw-away MTA (see exim-instance.ts, sendmail-instance.ts). */
export interface MtaInstance {
  readonly dir: string;
  /** The credential file the step rewrites (passwd.client, authinfo). */
  readonly credentialFile: string;
  /** Document parameters that point the step at this instance (Mta plus the config path). */
  readonly parameters: Record<string, string>;
  /** Directories with the MTA's commands, put on the step's PATH. */
  readonly binDirs: string[];
  /** Command prefix the step (and every command of this MTA) runs in, if any. */
  readonly wrap: readonly string[];
  /** Writes the credential file as an administrator would (and builds its map). */
  writeCredentials(text: string): void;
  /** The credential line the relay's entry holds right now, as `user:password` (undefined if none). */
  lookup(): string | undefined;
  /** Submits one message over SMTP on the instance's loopback port. */
  send(subject: string): Promise<void>;
  start(): void;
  stop(): void;
  running(): boolean;
  destroy(): void;
}

/** Submits a test message to an MTA listening on `host:port` (no TLS, no AUTH: loopback relay access). */
export async function submit(host: string, port: number, subject: string): Promise<void> {
  const transport = createTransport({ host, port, secure: false, ignoreTLS: true });
  try {
    await transport.sendMail({ from: 'app@document-test.invalid', to: 'someone@example.com', subject, text: 'test' });
  } finally {
    transport.close();
  }
}
