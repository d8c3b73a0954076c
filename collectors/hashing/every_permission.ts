/**
 * Whether this process may open files through libc without asking Deno: only
 * where Deno's own path checks would refuse nothing.
 *
 * @module
 */

/** Whether this process holds every Deno permission (as with `--allow-all`), on every path. */
export function holdsEveryPermission(): boolean {
  const names = ["read", "write", "net", "env", "sys", "run", "ffi", "import"] as const;
  try {
    // `partial`: granted but for some denied paths (`-A --deny-read=...`), which an open
    // through libc would not honour.
    return names.every((name) => {
      const status = Deno.permissions.querySync({ name });
      return status.state === "granted" && !status.partial;
    });
  } catch {
    return false;
  }
}
