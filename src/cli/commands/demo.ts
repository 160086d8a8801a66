import { planAdditionalRegions } from '../../core/additional-regions';
import { InvalidRegionError } from '../../core/errors';
import { STEPS, type Step } from '../../rotation/event';
import { DEMO_REGION, runDemo } from '../../sandbox/demo';
import { EXIT, parseFlags, type CommandBody } from '../command';
import { println, type Io } from '../io';
import { UsageError, usageOf } from '../errors';

const HELP = `Usage: ses-smtp-rotation demo [--hosts N] [--fail-host I] [--crash-at STEP] [--lifecycle]
                              [--stray-consumer] [--dr-region REGION] [--manual N [--manual-silent]] [--json]

Runs a whole rotation offline, in seconds, with no AWS account: an in-memory account (Secrets Manager, IAM, SSM),
a fleet of simulated relays (mixed Linux/Windows) that fetch the secret by version id and authenticate over SMTP,
and a local SES-like SMTP endpoint (STARTTLS, a CA made for this run, AUTH accepting exactly the SigV4 passwords
of the user's active keys). The real rotation handler runs the four steps as Secrets Manager would. It ends by
proving that every relay authenticates with the new credential, the old password is rejected and the user has
one key. Nothing is written to disk and nothing is left running.

Options:
  --hosts N          number of relays (default 24, at most 5000)
  --fail-host I      relay number I (1-based) fails its update: watch nothing get promoted, the old key stay
                     valid and the relay be named; then it is fixed and the retried rotation completes
  --crash-at STEP    the Lambda dies once during STEP (${STEPS.join(', ')}): watch the rotation resume
  --lifecycle        staged retirement in virtual time after the rotation: the old key stays active, is
                     deactivated 24 h after confirmation and deleted 7 days later by the hourly pass
  --stray-consumer   a consumer the push does not reach keeps using the old key: watch the pass hold it and
                     alert, then retire --resume, --reactivate (rollback) and --now (implies --lifecycle)
  --dr-region REGION a disaster-recovery region besides eu-west-1 (e.g. eu-central-1): a second SES-like endpoint
                     accepts only that region's passwords, every other relay uses it; watch both regions be
                     proven before the push and each relay install its region's password
  --manual N         N systems changed by hand (1–5): watch the rotation ask them and wait without promoting,
                     two people confirm with their own identities, and the last confirmation promote it
  --manual-silent    with --manual: the last one never confirms: nothing is promoted, the old key stays active
                     and the daily reminder goes out
  --json             print one JSON report instead of the narration
  -h, --help         show this help

Exit codes: 0 the rotation completed and was proven, 1 it did not, 2 usage error.`;

/** `demo`: a whole rotation against the offline sandbox. */
export const demoCommand: CommandBody = {
  help: HELP,
  async run(args: string[], io: Io): Promise<number> {
    const { values } = parseFlags(args, {
      hosts: { type: 'string' },
      'fail-host': { type: 'string' },
      'crash-at': { type: 'string' },
      lifecycle: { type: 'boolean', default: false },
      'stray-consumer': { type: 'boolean', default: false },
      'dr-region': { type: 'string' },
      manual: { type: 'string' },
      'manual-silent': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    });
    const hosts = wholeNumber(values.hosts, '--hosts', 1, 5000) ?? 24;
    const failHost = wholeNumber(values['fail-host'], '--fail-host', 1, hosts);
    const crashAt = values['crash-at'];
    const manual = wholeNumber(values.manual, '--manual', 1, 5);
    if (values['manual-silent'] && manual === undefined) {
      throw new UsageError('--manual-silent needs --manual N (the last of the N never confirms)');
    }
    if (crashAt !== undefined && !(STEPS as readonly string[]).includes(crashAt)) {
      throw new UsageError(`--crash-at must be one of ${STEPS.join(', ')}`);
    }
    const drRegion = values['dr-region'];
    // The rotation's own rules for an additional region, against the demo's primary region.
    if (drRegion !== undefined) {
      usageOf(InvalidRegionError, () => planAdditionalRegions([drRegion], DEMO_REGION), '--dr-region');
    }
    // The sandbox calls no AWS endpoint: the SDK's Node-version notice is noise here.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const started = Date.now();
    const report = await runDemo({
      hosts,
      ...(failHost !== undefined ? { failHost } : {}),
      ...(crashAt !== undefined ? { crashAt: crashAt as Step } : {}),
      lifecycle: values.lifecycle,
      strayConsumer: values['stray-consumer'],
      ...(drRegion !== undefined && { drRegion }),
      ...(manual !== undefined ? { manual, manualSilent: values['manual-silent'] } : {}),
      ...(values.json ? {} : { print: (line: string) => println(io.stdout, line) }),
    });
    if (values.json) {
      println(io.stdout, JSON.stringify(report, null, 2));
    } else {
      println(io.stdout, '');
      println(
        io.stdout,
        `${report.ok ? 'Demo complete' : 'Demo FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s ` +
          `(${report.virtualSeconds} s of simulated rotation time).`,
      );
    }
    return report.ok ? EXIT.ok : EXIT.failure;
  },
};

function wholeNumber(value: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[0-9]+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max}`);
  }
  return Number(value);
}
