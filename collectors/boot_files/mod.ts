/**
 * The EFI system partition's boot files as a critical area (docs/critical-scan.md).
 *
 * @module
 */
export {
  bootFilesCollector,
  bootFilesCollectorName,
  noEspCollector,
} from "./boot_files_collector.ts";
export {
  ESP_PARTITION_TYPE,
  type EspFolders,
  type EspVolumeLocator,
  isFolder,
  linuxEspBootFolders,
  linuxEspFolders,
  windowsEspBootFolders,
} from "./esp_folders.ts";
