/**
 * Entries of a table as a tool printed them (`ip -j`, PowerShell's JSON)
 * decoded into rows, with the entries that could not be decoded counted: an
 * entry dropped may be the very one an IOC names, so it is never dropped in
 * silence but named as a part of the table not read, which makes the
 * table's document unread (never clean).
 *
 * @module
 */

/** What a tool printed: the objects of its array, and how many entries were no object. */
export interface PrintedEntries<Entry> {
  readonly objects: readonly Entry[];
  /** Entries of the array that were no object (a number, a string, null): not read. */
  readonly notObjects: number;
}

/**
 * Decodes the objects into rows; `decode` gives undefined for an object it
 * cannot read (no address, a prefix that is no number). `object` names the
 * source in the part not read (`ip -j neigh show`, `Get-NetRoute`).
 */
export function decodeRows<Entry, Row>(
  read: PrintedEntries<Entry>,
  object: string,
  decode: (entry: Entry) => Row | undefined,
): { rows: Row[]; unread?: { readonly object: string; readonly detail: string } } {
  const rows: Row[] = [];
  let undecoded = read.notObjects;
  for (const entry of read.objects) {
    const row = decode(entry);
    if (row === undefined) undecoded++;
    else rows.push(row);
  }
  if (undecoded === 0) return { rows };
  const total = read.objects.length + read.notObjects;
  return {
    rows,
    unread: {
      object,
      detail: `${undecoded} of ${total} entries printed by ${object} could not be read`,
    },
  };
}
