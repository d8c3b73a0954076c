/**
 * The protected access list of a store folder on Windows: SYSTEM and the
 * Administrators group only, nothing inherited from `%ProgramData%` (whose
 * inherited entries let every user read results and create `iocscan.db-wal`
 * before the engine does). Applied with `icacls`, run with an argument array
 * (never a command line), behind {@linkcode WindowsCommandRunner} so that tests
 * check the exact arguments.
 *
 * @module
 */

/**
 * The access list the folder ends with, as SDDL: protected (`P`, no inherited
 * entries), full access for SYSTEM (`SY`) and Administrators (`BA`), inherited
 * by every file and folder created inside (`OICI`).
 */
export const WINDOWS_STORE_FOLDER_SDDL = "D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)";

/** The well-known SIDs of the accounts the folder grants, as icacls spells them. */
const GRANTED_SIDS = ["*S-1-5-18", "*S-1-5-32-544"] as const;

/** Runs a program with an argument array; returns its exit code and output. */
export type WindowsCommandRunner = (
  program: string,
  args: readonly string[],
) => { code: number; output: string };

/**
 * The `icacls` arguments that give `folder` the {@linkcode WINDOWS_STORE_FOLDER_SDDL}
 * access list: drop inherited entries (`/inheritance:r`) and replace every grant
 * (`/grant:r`) by SYSTEM and Administrators with full control, inherited by
 * objects (`OI`) and containers (`CI`).
 *
 * @example
 * ```ts
 * import { icaclsProtectArguments } from "./windows_folder_acl.ts";
 * icaclsProtectArguments("C:\\ProgramData\\IocScan");
 * // ["C:\\ProgramData\\IocScan", "/inheritance:r", "/grant:r", "*S-1-5-18:(OI)(CI)F", "*S-1-5-32-544:(OI)(CI)F"]
 * ```
 */
export function icaclsProtectArguments(folder: string): string[] {
  return [folder, "/inheritance:r", "/grant:r", ...GRANTED_SIDS.map((sid) => `${sid}:(OI)(CI)F`)];
}

/**
 * Gives `folder` the protected access list.
 *
 * @param run Runs icacls (default: `Deno.Command`, synchronously).
 * @throws Error when icacls fails; the folder must then not be used.
 */
export function protectWindowsFolder(folder: string, run: WindowsCommandRunner = runCommand): void {
  const { code, output } = run("icacls", icaclsProtectArguments(folder));
  if (code !== 0) {
    throw new Error(
      `could not restrict ${folder} to SYSTEM and Administrators (icacls exit ${code}): ${output.trim()}`,
    );
  }
}

function runCommand(program: string, args: readonly string[]): { code: number; output: string } {
  const result = new Deno.Command(program, { args: [...args], stdout: "piped", stderr: "piped" })
    .outputSync();
  const decoder = new TextDecoder();
  return {
    code: result.code,
    output: decoder.decode(result.stdout) + decoder.decode(result.stderr),
  };
}
