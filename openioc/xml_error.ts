/**
 * The error the XML layer raises for input that is not well-formed or not
 * acceptable (DOCTYPE, too deep, undecodable).
 *
 * @module
 */
import type { SourcePosition } from "./model.ts";

/** XML that cannot be read, with the place where reading stopped. */
export class XmlSyntaxError extends Error {
  /** Where the problem is, 1-based. */
  readonly position: SourcePosition;

  /** Creates the error; `message` says what is wrong, without the position. */
  constructor(message: string, position: SourcePosition) {
    super(message);
    this.name = "XmlSyntaxError";
    this.position = position;
  }
}
