/**
 * Who runs an isolation step, for its audit: the user, with the one sudo was run by.
 *
 * @module
 */
import { userInfo } from "node:os";

/** The user running the command, with the one sudo was run by. */
export function whoAmI(): string {
  let name: string;
  try {
    name = userInfo().username;
  } catch {
    name = Deno.env.get("USER") ?? Deno.env.get("USERNAME") ?? "unknown";
  }
  const sudo = Deno.env.get("SUDO_USER");
  return sudo !== undefined && sudo !== name ? `${name} (sudo by ${sudo})` : name;
}
