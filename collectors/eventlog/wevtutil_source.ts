/**
 * Live Windows source: `wevtutil qe <channel> /q:<time filter> /f:RenderedXml`
 * per channel, streamed and parsed event by event (the rendered XML carries the
 * formatted message).
 *
 * @module
 */
import { type CommandRunner, spawnCommand } from "../live/command_runner.ts";
import { eventFromRenderedXml, EventXmlSplitter } from "./rendered_xml.ts";
import type { EventLogSource, SourceContext } from "./source.ts";
import { liveOriginPrefix, type WindowsEvent } from "./windows_event.ts";
import { eventLogCollectorName } from "./collector_name.ts";

const collector = eventLogCollectorName;

/** Options of {@linkcode wevtutilSource}. */
export interface WevtutilSourceOptions {
  /** Channels to read, e.g. `Security`, `Microsoft-Windows-Sysmon/Operational`. */
  channels: readonly string[];
  /** The wevtutil executable. Default `wevtutil`. */
  command?: string;
  /** How to run it (tests pass recorded output). */
  run?: CommandRunner;
}

/** The XPath query selecting events created inside the window. */
export function timeFilterQuery(since?: Date, until?: Date): string {
  const tests: string[] = [];
  if (since) tests.push(`@SystemTime>='${since.toISOString()}'`);
  if (until) tests.push(`@SystemTime<='${until.toISOString()}'`);
  return tests.length === 0 ? "*" : `*[System[TimeCreated[${tests.join(" and ")}]]]`;
}

/** The wevtutil arguments for one channel. */
export function wevtutilArgs(channel: string, since?: Date, until?: Date): string[] {
  return ["qe", channel, `/q:${timeFilterQuery(since, until)}`, "/f:RenderedXml", "/e:Events"];
}

/** Decodes wevtutil's output, which is UTF-16LE when it starts with a BOM or NUL-interleaved text. */
function decoderFor(first: Uint8Array): TextDecoder {
  const utf16 = (first[0] === 0xff && first[1] === 0xfe) ||
    (first.length >= 4 && first[1] === 0 && first[3] === 0 && first[0] !== 0);
  return new TextDecoder(utf16 ? "utf-16le" : "utf-8");
}

/** Reads live channels with wevtutil. */
export function wevtutilSource(options: WevtutilSourceOptions): EventLogSource {
  const run = options.run ?? spawnCommand;
  const command = options.command ?? "wevtutil";
  return {
    name: "wevtutil",
    async *events(context: SourceContext): AsyncGenerator<WindowsEvent> {
      for (const channel of options.channels) {
        if (context.signal?.aborted) return;
        let running;
        try {
          running = run(
            command,
            wevtutilArgs(channel, context.since, context.until),
            context.signal,
          );
        } catch (error) {
          context.reporter.skipped({
            collector,
            object: `${liveOriginPrefix}${channel}`,
            reason: "unsupported",
            detail: `cannot run ${command}: ${error}`,
          });
          continue;
        }
        context.stats.files++;
        const splitter = new EventXmlSplitter();
        let decoder: TextDecoder | undefined;
        for await (const bytes of running.stdout) {
          decoder ??= decoderFor(bytes);
          for (const xml of splitter.push(decoder.decode(bytes, { stream: true }))) {
            const event = eventFromRenderedXml(xml, `${liveOriginPrefix}${channel}`);
            if (!event) {
              context.stats.warnings++;
              context.reporter.warning({
                collector,
                code: "wevtutil-bad-xml",
                message: `live:${channel}: an event's XML could not be read`,
                place: xml.slice(0, 80),
              });
              continue;
            }
            context.stats.records++;
            yield event;
          }
        }
        const { code, stderr } = await running.finished;
        if (code !== 0) {
          context.reporter.skipped({
            collector,
            object: `${liveOriginPrefix}${channel}`,
            reason: /access|denied/i.test(stderr) ? "locked" : "unreadable",
            detail: `wevtutil exited with ${code}: ${stderr.trim()}`,
          });
        }
      }
    },
  };
}
