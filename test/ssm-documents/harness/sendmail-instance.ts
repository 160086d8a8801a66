import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { daemonControl, type MtaInstance, submit } from './mta-instance';
import { PEERS_DIR, SENDMAIL_BIN, SENDMAIL_ROOT } from './peers';
import { freePort } from './postfix-instance';

/** The relay's name: Sendmail needs a qualified name (it appends its domain to "localhost"). */
export const SENDMAIL_RELAY_NAME = 'relay.document-test.invalid';

/**
 * A throw-away Sendmail: sendmail.cf built with m4 from Debian's sendmail-cf macros (SMART_HOST, RELAY_MAILER_ARGS,
 * FEATURE(authinfo)), its own queue, pid file and authinfo map, listening on 127.0.0.3.
 *
 * Sendmail insists on a fully qualified host name (without one it sleeps 60 s on every start) and this machine's
 * is not. So Sendmail, and the step under test, run in a private UTS and mount namespace (`unshare`) whose host
 * name is mail.document-test.invalid and whose /etc/hosts (bind-mounted, the machine's file untouched) names the
 * relay. The instance lives under PEERS_DIR: Sendmail refuses maps below a world-writable directory such as /tmp.
 */
export async function createSendmailInstance(options: { relayPort: number; caPem: string }): Promise<MtaInstance> {
  const runDir = join(PEERS_DIR, 'run');
  mkdirSync(runDir, { recursive: true, mode: 0o755 });
  const dir = mkdtempSync(join(runDir, 'sendmail-'));
  chmodSync(dir, 0o755);
  const etc = join(dir, 'etc');
  const queue = join(dir, 'queue');
  mkdirSync(etc, { mode: 0o755 });
  mkdirSync(queue, { mode: 0o700 });
  const port = await freePort();
  writeFileSync(join(etc, 'ca.pem'), options.caPem);
  writeFileSync(join(etc, 'service.switch'), 'hosts files\naliases files\n');
  const hosts = join(dir, 'hosts');
  writeFileSync(hosts, `127.0.0.1 localhost\n127.0.0.1 ${SENDMAIL_RELAY_NAME}\n127.0.0.1 mail.document-test.invalid\n`);
  const namespace = join(dir, 'namespace.sh');
  writeFileSync(
    namespace,
    `#!/bin/sh\nhostname mail.document-test.invalid && mount --bind '${hosts}' /etc/hosts && exec "$@"\n`,
  );
  chmodSync(namespace, 0o755);
  const wrap = ['unshare', '--uts', '--mount', '--fork', namespace];
  const cfDir = join(SENDMAIL_ROOT, 'usr', 'share', 'sendmail', 'cf');
  const authinfo = join(etc, 'authinfo');
  const mc = [
    'divert(-1)dnl',
    'divert(0)dnl',
    `include(\`${cfDir}/m4/cf.m4')dnl`,
    "VERSIONID(`ses-smtp-rotation document test')dnl",
    "OSTYPE(`linux')dnl",
    `define(\`confPID_FILE', \`${join(dir, 'sendmail.pid')}')dnl`,
    `define(\`QUEUE_DIR', \`${queue}')dnl`,
    `define(\`confSERVICE_SWITCH_FILE', \`${join(etc, 'service.switch')}')dnl`,
    "define(`confDONT_PROBE_INTERFACES', `True')dnl",
    "define(`confDOMAIN_NAME', `mail.document-test.invalid')dnl",
    "define(`ALIAS_FILE', `')dnl",
    `define(\`confCACERT_PATH', \`${etc}')dnl`,
    `define(\`confCACERT', \`${join(etc, 'ca.pem')}')dnl`,
    "define(`confAUTH_MECHANISMS', `PLAIN LOGIN')dnl",
    "define(`confMIN_QUEUE_AGE', `0')dnl",
    `define(\`SMART_HOST', \`[${SENDMAIL_RELAY_NAME}]')dnl`,
    `define(\`RELAY_MAILER_ARGS', \`TCP $h ${options.relayPort}')dnl`,
    `FEATURE(\`authinfo', \`hash -o ${authinfo}.db')dnl`,
    "FEATURE(`nocanonify')dnl",
    "FEATURE(`accept_unresolvable_domains')dnl",
    // Without it sendmail.cf also opens the submission port on every address (0.0.0.0:587): a second instance (or
    // one left by a killed run) then cannot start, and the tests see ECONNREFUSED.
    "FEATURE(`no_default_msa')dnl",
    `DAEMON_OPTIONS(\`Family=inet, Name=MTA, Port=${port}, Addr=127.0.0.3')dnl`,
    "MAILER(`smtp')dnl",
    '',
  ].join('\n');
  writeFileSync(join(etc, 'sendmail.mc'), mc);
  const cf = join(etc, 'sendmail.cf');
  writeFileSync(cf, execFileSync('m4', [join(etc, 'sendmail.mc')], { encoding: 'utf8' }));
  const makemap = join(SENDMAIL_BIN, 'makemap');
  const pidFile = join(dir, 'sendmail.pid');
  const daemon = daemonControl(pidFile, dir);
  return {
    dir,
    credentialFile: authinfo,
    parameters: { Mta: 'sendmail', SendmailConfig: cf },
    binDirs: [SENDMAIL_BIN],
    wrap,
    writeCredentials(text) {
      for (const f of [authinfo, `${authinfo}.db`]) rmSync(f, { force: true });
      writeFileSync(authinfo, text, { mode: 0o600 });
      execFileSync(makemap, ['-C', cf, 'hash', authinfo], { input: text, stdio: ['pipe', 'ignore', 'pipe'] });
    },
    lookup() {
      const dump = execFileSync(makemap, ['-C', cf, '-u', 'hash', authinfo], { encoding: 'utf8' });
      const line = dump.split('\n').find((l) => l.startsWith(`authinfo:${SENDMAIL_RELAY_NAME}\t`));
      const m = line && /"I:([^"]*)" "P:([^"]*)"/.exec(line);
      return m ? `${m[1]}:${m[2]}` : undefined;
    },
    send: (subject) => submit('127.0.0.3', port, subject),
    start() {
      // An absolute argv[0]: Sendmail re-executes itself from it on SIGHUP.
      execFileSync(wrap[0]!, [...wrap.slice(1), join(SENDMAIL_BIN, 'sendmail'), '-C', cf, '-bd', '-q1s'], {
        stdio: 'ignore',
      });
      for (let i = 0; i < 50 && !daemon.running(); i += 1) execFileSync('sleep', ['0.1']);
    },
    stop: daemon.stop,
    running: daemon.running,
    destroy: daemon.destroy,
  };
}
