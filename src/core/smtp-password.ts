import { createHmac } from 'node:crypto';
import { InvalidRegionError } from './errors';
import { REGION_PATTERN } from './regions';

// Constants of the SES SMTP password algorithm (SES Developer Guide, "Obtaining Amazon SES SMTP credentials").
const DATE = '11111111';
const SERVICE = 'ses';
const TERMINAL = 'aws4_request';
const MESSAGE = 'SendRawEmail';
const VERSION = 0x04;

/** Shape of every password this function returns (defined with the other key shapes). */
export { SMTP_PASSWORD_PATTERN } from './key-shapes';

/**
 * Derives the SES SMTP password (SigV4, version byte 4) of an IAM secret access key for one region.
 * The password is region-bound: the same key yields a different password in every region.
 *
 * @param secretAccessKey the IAM user's secret access key (any string; length checks belong to callers)
 * @param region the SES region whose SMTP endpoint will receive the password, e.g. `eu-west-1`
 * @throws InvalidRegionError when `region` is not a region name
 */
export function deriveSmtpPassword(secretAccessKey: string, region: string): string {
  if (!REGION_PATTERN.test(region)) {
    throw new InvalidRegionError('cannot derive an SMTP password: the region must look like eu-west-1');
  }
  let signature = hmac(Buffer.from(`AWS4${secretAccessKey}`, 'utf8'), DATE);
  for (const part of [region, SERVICE, TERMINAL, MESSAGE]) {
    signature = hmac(signature, part);
  }
  return Buffer.concat([Buffer.from([VERSION]), signature]).toString('base64');
}

function hmac(key: Buffer, message: string): Buffer {
  return createHmac('sha256', key).update(message, 'utf8').digest();
}
