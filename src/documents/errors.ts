/** The document readers' errors: one module, the project's base class. Messages name the line, never the content. */
import { SesSmtpRotationError } from '../core/errors';

/** Text that is not (strict) JSON; names the line, never quotes the content. */
export class JsonSyntaxError extends SesSmtpRotationError {
  constructor(
    readonly line: number,
    what: string,
  ) {
    super(`line ${line}: ${what}`);
  }
}

/** Text that is not a valid YAML document; names the line and the kind of problem. */
export class YamlSyntaxError extends SesSmtpRotationError {
  constructor(
    readonly line: number,
    what: string,
  ) {
    super(`line ${line}: ${what}`);
  }
}
