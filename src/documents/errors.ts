/** The document readers' errors: one module, the project's base class. Messages name the line, never the content. */
import { SesSmtpRotationError } from '../core/errors';

/** Text a document reader cannot read; names the line and the kind of problem, never quotes the content. */
export class DocumentSyntaxError extends SesSmtpRotationError {
  constructor(
    readonly line: number,
    what: string,
  ) {
    super(`line ${line}: ${what}`);
  }
}

/** Text that is not (strict) JSON. */
export class JsonSyntaxError extends DocumentSyntaxError {}

/** Text that is not a valid YAML document. */
export class YamlSyntaxError extends DocumentSyntaxError {}
