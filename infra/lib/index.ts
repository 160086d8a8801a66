/**
 * The package's entry point (`import { SesSmtpRotation } from 'ses-smtp-rotation'`): the construct, its props
 * types, and the ready stack. The CLI is the `ses-smtp-rotation` bin.
 */
export { DEFAULT_SCHEDULE, SesSmtpRotation } from './ses-smtp-rotation';
export type * from './props';
export { SesSmtpRotationStack, type SesSmtpRotationStackProps } from './ses-smtp-rotation-stack';
