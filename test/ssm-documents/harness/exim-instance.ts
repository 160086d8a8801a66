import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { daemonControl, type MtaInstance, submit } from './mta-instance';
import { EXIM_SBIN, PEERS_DIR } from './peers';
import { freePort } from './postfix-instance';

const EXIM = join(EXIM_SBIN, 'exim4');

/**
 * A throw-away Exim built the Debian way: the package's own exim4.conf.template and update-exim4.conf (smarthost
 * configuration, dc_smarthost = <relay>::<port>) into a private directory, plus the macros a local administrator
 * would set (CONFDIR, spool, TLS verification with the relay's CA). Listens on 127.0.0.2 (so that the relay on
 * 127.0.0.1 is not "the local host" to Exim); never reads or writes /etc/exim4.
 */
export async function createEximInstance(options: { relayPort: number; caPem: string }): Promise<MtaInstance> {
  const dir = mkdtempSync(join(tmpdir(), 'ses-smtp-rotation-exim-'));
  chmodSync(dir, 0o755);
  const etc = join(dir, 'etc');
  const spool = join(dir, 'spool');
  const log = join(dir, 'log');
  const eximUid = Number(execFileSync('id', ['-u', 'Debian-exim'], { encoding: 'utf8' }).trim());
  const eximGid = Number(execFileSync('id', ['-g', 'Debian-exim'], { encoding: 'utf8' }).trim());
  cpSync(join(PEERS_DIR, 'exim4', 'etc', 'exim4'), etc, { recursive: true });
  for (const d of [spool, log]) {
    mkdirSync(d, { mode: 0o750 });
    chownSync(d, eximUid, eximGid);
  }
  const port = await freePort();
  writeFileSync(join(etc, 'ca.pem'), options.caPem);
  writeFileSync(
    join(etc, 'update-exim4.conf.conf'),
    [
      "dc_eximconfig_configtype='smarthost'",
      "dc_other_hostnames=''",
      `dc_local_interfaces='127.0.0.2.${port}'`,
      "dc_readhost=''",
      "dc_relay_domains=''",
      "dc_minimaldns='false'",
      "dc_relay_nets='127.0.0.0/8'",
      `dc_smarthost='localhost::${options.relayPort}'`,
      "CFILEMODE='644'",
      "dc_use_split_config='false'",
      "dc_hide_mailname=''",
      "dc_mailname_in_oh='true'",
      "dc_localdelivery='mail_spool'",
      '',
    ].join('\n'),
  );
  const generated = join(dir, 'generated.conf');
  execFileSync(join(EXIM_SBIN, 'update-exim4.conf'), ['-d', etc, '-o', generated], {
    env: { PATH: `${EXIM_SBIN}:/usr/bin:/bin`, LANG: 'C' },
    stdio: 'ignore', // it complains that this machine has no /etc/mailname, and works
  });
  // Debian reads these from exim4.conf.localmacros; update-exim4.conf -d looks for that file in /etc/exim4 only.
  const macros = [
    `CONFDIR = ${etc}`,
    `SPOOLDIR = ${spool}`,
    `REMOTE_SMTP_SMARTHOST_TLS_VERIFY_CERTIFICATES = ${join(etc, 'ca.pem')}`,
    'REMOTE_SMTP_SMARTHOST_HOSTS_REQUIRE_TLS = *',
    'MAIN_HARDCODE_PRIMARY_HOSTNAME = mail.document-test.invalid',
    `log_file_path = ${log}/%slog`,
    `pid_file_path = ${join(dir, 'exim.pid')}`,
    '',
  ].join('\n');
  const config = join(dir, 'exim4.conf');
  writeFileSync(config, macros + readFileSync(generated, 'utf8').replace(/^exim_path = .*$/m, `exim_path = ${EXIM}`));
  const credentialFile = join(etc, 'passwd.client');
  const run = (args: string[]): string =>
    execFileSync(EXIM, ['-C', config, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const daemon = daemonControl(join(dir, 'exim.pid'), dir);
  return {
    dir,
    credentialFile,
    parameters: { Mta: 'exim', EximConfig: config },
    binDirs: [EXIM_SBIN],
    wrap: [],
    writeCredentials(text) {
      writeFileSync(credentialFile, text);
      chownSync(credentialFile, 0, eximGid);
      chmodSync(credentialFile, 0o640);
    },
    lookup() {
      try {
        return run(['-be', `\${lookup{localhost}nwildlsearch{${credentialFile}}{$value}fail}`]).trim();
      } catch {
        return undefined;
      }
    },
    send: (subject) => submit('127.0.0.2', port, subject),
    start() {
      run(['-bd', '-q1s']);
    },
    stop: daemon.stop,
    running: daemon.running,
    destroy: daemon.destroy,
  };
}
