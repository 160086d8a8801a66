/**
 * The rotation Lambda's entry point: the handler of `handler-core.ts` with Powertools' logger for whatever the
 * overrides do not replace.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { createRotationHandler, type HandlerOverrides, type ProductionLog, type RotationHandler } from './handler-core';

export type { HandlerOverrides, LambdaContextLike } from './handler-core';

/** Builds a handler; `handler` below is the production one. */
export function createHandler(overrides: HandlerOverrides = {}): RotationHandler {
  const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'ses-smtp-rotation' });
  return createRotationHandler(overrides, powertoolsLog(logger));
}

function powertoolsLog(logger: Logger): ProductionLog {
  return {
    info: (message, attributes) => logger.info(message, (attributes ?? {}) as never),
    warn: (message, attributes) => logger.warn(message, (attributes ?? {}) as never),
    error: (message, attributes) => logger.error(message, (attributes ?? {}) as never),
    appendKeys: (keys) => logger.appendKeys(keys as never),
    resetKeys: () => logger.resetKeys(),
  };
}

/** The rotation Lambda handler (configured from environment variables). */
export const handler = createHandler();
