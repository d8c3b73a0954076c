/**
 * The byte layouts of the Windows API structures collectors read, one file
 * per area, with their pure decoders.
 *
 * @module
 */
export * from "./process.ts";
export * from "./process_decode.ts";
export * from "./volume.ts";
export * from "./net_user.ts";
export * from "./services.ts";
export * from "./services_decode.ts";
export * from "./token.ts";
export * from "./file_info.ts";
export * from "./streams.ts";
export * from "./security.ts";
export * from "./pending_renames.ts";
export * from "./disk.ts";
