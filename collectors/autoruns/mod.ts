/**
 * The autoruns view: autostart entries of the registry, the Startup folders,
 * WMI subscriptions and Linux's autostart files (and, through a small
 * interface, the service, driver and task collectors' records), as
 * AutorunItem objects and their images as FileItem objects
 * (docs/autoruns.md).
 *
 * @example
 * ```ts ignore
 * import { createAutorunsCollector, linuxAutorunSource, posixImageLocator } from "./mod.ts";
 * const collector = createAutorunsCollector({
 *   sources: [linuxAutorunSource("/")],
 *   locate: posixImageLocator("/"),
 *   windowsPaths: false,
 *   followSymlinks: true,
 * });
 * ```
 *
 * @module
 */
export * from "./autorun_entry.ts";
export * from "./collector.ts";
export * from "./command_image.ts";
export * from "./image_locator.ts";
export * from "./linux_files.ts";
export * from "./provided_entries.ts";
export * from "./registry_places.ts";
export * from "./source.ts";
export * from "./windows_sources.ts";
export * from "./wmi_subscriptions.ts";
