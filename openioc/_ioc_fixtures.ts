/**
 * Builders for synthetic IOC files, shared by the tests (fixtures are made in
 * code, never checked in). Not part of the public API.
 *
 * @module
 */

/** The 1.0 namespace, written out so fixtures do not depend on the reader's constant. */
export const ns10 = "http://schemas.mandiant.com/2010/ioc";
/** The 1.1 namespace. */
export const ns11 = "http://openioc.org/schemas/OpenIOC_1.1";

/** Encodes text as UTF-8 bytes. */
export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** A 1.0 item. */
export function item10(
  id: string,
  condition: string,
  search: string,
  value: string,
  extra: { attributes?: string; comment?: string; contentType?: string } = {},
): string {
  const document = search.split("/")[0];
  const comment = extra.comment === undefined ? "" : `<Comment>${extra.comment}</Comment>`;
  return `<IndicatorItem id="${id}" condition="${condition}"${extra.attributes ?? ""}>` +
    `<Context document="${document}" search="${search}" type="mir"/>` +
    `<Content type="${extra.contentType ?? "string"}">${value}</Content>${comment}</IndicatorItem>`;
}

/** A 1.1 item. */
export function item11(
  id: string,
  condition: string,
  search: string,
  value: string,
  extra: { negate?: boolean; preserveCase?: boolean; contentType?: string } = {},
): string {
  const document = search.split("/")[0];
  return `<IndicatorItem id="${id}" condition="${condition}" negate="${extra.negate ?? false}" ` +
    `preserve-case="${extra.preserveCase ?? false}">` +
    `<Context document="${document}" search="${search}" type="mir"/>` +
    `<Content type="${extra.contentType ?? "string"}">${value}</Content></IndicatorItem>`;
}

/** A complete 1.0 document whose definition holds `indicators`. */
export function ioc10(indicators: string, options: { id?: string; head?: string } = {}): string {
  return `<?xml version="1.0" encoding="us-ascii"?>\n` +
    `<ioc xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="${ns10}" ` +
    `id="${options.id ?? "ioc-10"}" last-modified="2013-01-01T00:00:00">\n` +
    `  <short_description>Test 1.0</short_description>\n  <authored_date>2013-01-01T00:00:00</authored_date>\n` +
    (options.head ?? "") +
    `  <definition>\n${indicators}\n  </definition>\n</ioc>\n`;
}

/** A complete 1.1 document whose criteria hold `indicators`, with optional params. */
export function ioc11(
  indicators: string,
  options: { id?: string; parameters?: string } = {},
): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<OpenIOC xmlns="${ns11}" id="${options.id ?? "ioc-11"}" last-modified="2014-01-01T00:00:00" ` +
    `published-date="0001-01-01T00:00:00">\n` +
    `  <metadata><short_description>Test 1.1</short_description><authored_by>t</authored_by>` +
    `<authored_date>2014-01-01T00:00:00</authored_date><links><link rel="family">x</link></links></metadata>\n` +
    `  <criteria>\n${indicators}\n  </criteria>\n` +
    (options.parameters === undefined ? "" : `  <parameters>${options.parameters}</parameters>\n`) +
    `</OpenIOC>\n`;
}

/** A 1.1 param element. */
export function param11(refId: string, name: string, value: string): string {
  return `<param id="p-${refId}-${name}" ref-id="${refId}" name="${name}"><value type="string">${value}</value></param>`;
}
