import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { createTransport } from 'nodemailer';

/** What the document scenarios need from a throw-away MTA (postfix-, exim-, sendmail-instance.ts). */
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
  /** Variables the step's environment needs to find this instance (Postfix: MAIL_CONFIG), besides PATH and LANG. */
  readonly environment?: Readonly<Record<string, string>>;
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
      // Nodemailer reports a refused connection as code ESOCKET, naming ECONNREFUSED in its message.
      const refused = /\bECONNREFUSED\b/.test(String((error as Error).message));
      if (!refused || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      transport.close();
    }
  }
}

/** Start/stop bookkeeping of a daemon that writes its pid to `pidFile` and works under `dir`. */
export interface DaemonControl {
  running(): boolean;
  /** SIGTERM, wait up to 5 s, then SIGKILL: a daemon still restarting after the step's reload must not outlive it. */
  stop(): void;
  /**
   * {@link stop}, kill whatever is left under `dir` (queue runners, a restarted daemon that renamed itself), then
   * delete `dir`: the instance's destroy().
   */
  destroy(): void;
}

/** The {@link DaemonControl} of one throw-away MTA instance. */
export function daemonControl(pidFile: string, dir: string): DaemonControl {
  const pid = (): number | undefined =>
    existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : undefined;
  const alive = (p: number): boolean => {
    try {
      process.kill(p, 0);
      return true;
    } catch {
      return false;
    }
  };
  const running = (): boolean => {
    const p = pid();
    return p !== undefined && p > 0 && alive(p);
  };
  const stop = (): void => {
    const p = pid();
    if (p && alive(p)) {
      process.kill(p, 'SIGTERM');
      for (let i = 0; i < 50 && alive(p); i += 1) execFileSync('sleep', ['0.1']);
      if (alive(p)) process.kill(p, 'SIGKILL');
    }
    rmSync(pidFile, { force: true });
  };
  const destroy = (): void => {
    try {
      stop();
      killProcessesUnder(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  return { running, stop, destroy };
}

/** Kills every process whose working directory is inside `dir` (Linux /proc). */
function killProcessesUnder(dir: string): void {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cwd: string;
    try {
      cwd = readlinkSync(`/proc/${entry}/cwd`);
    } catch {
      continue;
    }
    if (cwd === dir || cwd.startsWith(`${dir}/`)) {
      try {
        process.kill(Number(entry), 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
}
