/**
 * An OpenIOC 1.0 document with one indicator item, for end-to-end tests.
 *
 * @module
 */

/** One IOC with one item. */
export function oneItemIoc(
  id: string,
  document: string,
  search: string,
  condition: string,
  type: string,
  value: string,
): string {
  return `<?xml version="1.0" encoding="us-ascii"?>
<ioc xmlns="http://schemas.mandiant.com/2010/ioc" id="${id}" last-modified="2026-12-07T00:00:00">
  <short_description>${id}</short_description>
  <definition><Indicator operator="OR" id="${id}-top">
    <IndicatorItem id="${id}-item" condition="${condition}">
      <Context document="${document}" search="${search}" type="mir"/>
      <Content type="${type}">${value}</Content>
    </IndicatorItem>
  </Indicator></definition>
</ioc>`;
}
