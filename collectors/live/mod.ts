/**
 * What the live host collectors (processes, ports, the DNS cache, the
 * neighbour and route tables…) share: starting a tool with a byte cap and a
 * deadline, and bounded reads of `/proc`. No collector logic lives here.
 *
 * @module
 */
export {
  type CommandRunner,
  recordedCommand,
  type RunningCommand,
  spawnCommand,
} from "./command_runner.ts";
export {
  type CommandOutput,
  type CommandOutputLimits,
  readCommandOutput,
} from "./command_output.ts";
export { type ProcText, readProcBytes, readProcText } from "./proc_file.ts";
export { thisComputerName } from "./computer_name.ts";
