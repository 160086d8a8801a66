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

/**
 * Submits a test message to an MTA listening on `host:port` (no TLS, no AUTH: loopback relay access). A refused
 * connection is retried for up to 10 s: Sendmail restarts itself on the step's SIGHUP (it re-executes, closing its
 * listening socket for a moment), as a real relay's clients would retry; any other error fails at once.
 */
export async function submit(host: string, port: number, subject: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const transport = createTransport({ host, port, secure: false, ignoreTLS: true });
    try {
      await transport.sendMail({ from: 'app@document-test.invalid', to: 'someone@example.com', subject, text: 'test' });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ECONNREFUSED' || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      transport.close();
    }
  }
}
