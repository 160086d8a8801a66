import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { releaseTemplate } from '../../../infra/release/release-stack';

/** The release template's JSON. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TemplateJson = Record<string, any>;

let cached: TemplateJson | undefined;

/** The synthesized release template (once per test file: synthesis with cdk-nag is the slow part). */
export function releaseTemplateJson(): TemplateJson {
  cached ??= releaseTemplate(mkdtempSync(join(tmpdir(), 'ses-smtp-release-test-'))) as TemplateJson;
  return cached;
}
