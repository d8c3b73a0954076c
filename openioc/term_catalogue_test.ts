import { deepStrictEqual, ok } from "node:assert/strict";
import { allTerms, resolveTerm } from "./term_catalogue.ts";

Deno.test("resolveTerm matches search paths case-insensitively", () => {
  const term = resolveTerm("FileItem/MD5Sum");
  deepStrictEqual(term?.search, "FileItem/Md5sum");
  deepStrictEqual(term?.valueType, "md5");
  deepStrictEqual(term?.collector, "file");
  deepStrictEqual(resolveTerm("  portitem/REMOTEIP ")?.search, "PortItem/remoteIP");
});

Deno.test("resolveTerm maps both HX spellings to the event document", () => {
  const long = resolveTerm("eventItem/processEvent/process");
  const short = resolveTerm("processEvent/process");
  ok(long !== undefined);
  deepStrictEqual(long, short);
  deepStrictEqual(long.document, "processEvent");
  deepStrictEqual(long.path, ["process"]);
  deepStrictEqual(long.collector, "eventlog");
});

Deno.test("resolveTerm gives the field path below the document", () => {
  deepStrictEqual(resolveTerm("FileItem/PEInfo/PETimeStamp")?.path, ["PEInfo", "PETimeStamp"]);
  deepStrictEqual(resolveTerm("FileItem/PEInfo/PETimeStamp")?.valueType, "date");
  deepStrictEqual(resolveTerm("ProcessItem/HandleList/Handle/Name")?.path, [
    "HandleList",
    "Handle",
    "Name",
  ]);
});

Deno.test("resolveTerm types values by meaning, not by Content/@type", () => {
  deepStrictEqual(resolveTerm("FileItem/Sha1sum")?.valueType, "sha1");
  deepStrictEqual(resolveTerm("FileItem/Sha256sum")?.valueType, "sha256");
  deepStrictEqual(resolveTerm("FileItem/SizeInBytes")?.valueType, "integer");
  deepStrictEqual(resolveTerm("PortItem/remotePort")?.valueType, "integer");
  deepStrictEqual(resolveTerm("PortItem/remoteIP")?.valueType, "ip");
  deepStrictEqual(resolveTerm("ProcessItem/pid")?.valueType, "integer");
  deepStrictEqual(resolveTerm("RegistryItem/Modified")?.valueType, "date");
  deepStrictEqual(
    resolveTerm("FileItem/PEInfo/DigitalSignature/SignatureVerified")?.valueType,
    "bool",
  );
  deepStrictEqual(resolveTerm("fileWriteEvent/md5")?.valueType, "md5");
});

Deno.test("resolveTerm leaves terms without a source unsupported", () => {
  for (
    const search of [
      "urlMonitorEvent/requestUrl",
      "eventItem/urlMonitorEvent/httpHeader",
      "fileWriteEvent/textAtLowestOffset",
      "eventItem/fileWriteEvent/textAtLowestOffset",
      "Yara/TextString",
      "Network/dest_ip",
      "Snort/Snort",
      "Email/From",
      "ProcessItem/SectionList/MemorySection/PEInfo/EpJumpCodes/Opcodes",
      "FileItem",
      "",
    ]
  ) {
    deepStrictEqual(resolveTerm(search), undefined, search);
  }
});

Deno.test("allTerms has unique searches whose document and path rebuild the search", () => {
  const seen = new Set<string>();
  for (const term of allTerms()) {
    const key = term.search.toLowerCase();
    ok(!seen.has(key), `duplicate term ${term.search}`);
    seen.add(key);
    deepStrictEqual([term.document, ...term.path].join("/"), term.search);
    ok(term.path.length > 0 && term.path.every((segment) => segment.length > 0));
    deepStrictEqual(resolveTerm(term.search), term);
  }
  ok(allTerms().length > 300);
});
