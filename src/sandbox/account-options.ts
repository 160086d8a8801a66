/** What a sandbox account starts from, and the records it keeps of the relays and the handler's log. */
import type { SmtpCredential } from '../core/secret';
import type { MakeHostsOptions } from './fake-fleet-hosts';

/** How the sandbox account starts. */
export interface SandboxOptions {
  readonly region?: string;
  readonly userName?: string;
  readonly hosts?: number;
  readonly platforms?: MakeHostsOptions['platforms'];
  /** `none`: no version at all (CloudFormation); `settings`: settings-only JSON (the CDK construct). */
  readonly initialSecret?: 'none' | 'settings';
  /** The bank's first day: one console-made key already configured on every host (default true). */
  readonly adoptConsoleKey?: boolean;
  readonly autoCurrentOnFirstValue?: boolean;
  /** SMTP endpoint the credential records (default the region's SES host; the demo uses its local server). */
  readonly endpoint?: string;
  readonly port?: number;
  /** Per-host document run time in virtual milliseconds. */
  readonly hostDurationMs?: number;
  /**
   * Retirement policy of the function (RETIREMENT_POLICY). Default `immediate`, so scenarios written before the
   * staged retirement keep their one-key end state; the product's own default is `staged`.
   */
  readonly retirement?: 'immediate' | 'staged';
  /**
   * A disaster-recovery region (SES_ADDITIONAL_REGIONS): every other host (the 2nd, 4th, …) relays to its regional
   * endpoint and so installs its password.
   * @default none (single region)
   */
  readonly additionalRegion?: string;
  /**
   * Creates the manual-consumer registry table and configures the function with it (MANUAL_CONSUMERS_TABLE).
   * Default false: no table, as before issue 14.
   */
  readonly registry?: boolean;
}

/** One log line the sandbox captured. */
export interface CapturedLog {
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
  readonly attributes?: Record<string, unknown>;
}

/** What a host has installed. */
export interface HostCredential extends SmtpCredential {
  readonly versionId?: string;
}
