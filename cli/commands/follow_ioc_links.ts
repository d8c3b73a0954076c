/**
 * The `--follow-ioc-links` option that every command loading IOC folders
 * takes (`scan`, `indicators`, `match`), defined once.
 *
 * @module
 */

/** The flag: follow links in an IOC folder whose target is outside it. */
export const followIocLinksFlag = "--follow-ioc-links";

/** Its help text. */
export const followIocLinksHelp =
  "follow .ioc/.xml symbolic links in IOC folders whose target is outside the folder " +
  "(refused by default; the target must still be a regular file within the size limit)";
