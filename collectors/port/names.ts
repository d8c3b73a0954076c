/**
 * The port collector's names, one definition each.
 *
 * @module
 */

/** The collector name, in skip records, warnings and `--types`. */
export const portCollectorName = "port";

/** The OpenIOC document of the port collector. */
export const portDocumentName = "PortItem";
