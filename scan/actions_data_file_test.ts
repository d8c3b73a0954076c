import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { actionsDataFilePath, renderActionsDataFile } from "./actions_data_file.ts";
import { scanActions } from "./action_list.ts";

Deno.test("renderActionsDataFile matches powershell/IocScan/Data/Actions.psd1 (regenerate: deno run -P=engine scan/actions_data_file.ts)", async () => {
  const checkedIn = await Deno.readTextFile(new URL(`../${actionsDataFilePath}`, import.meta.url));
  strictEqual(checkedIn, renderActionsDataFile());
});

Deno.test("renderActionsDataFile lists every action in run order, with its options' PowerShell parameters", () => {
  const text = renderActionsDataFile();
  const names = [...text.matchAll(/Name {4}= '([^']+)'/g)].map((match) => match[1]);
  deepStrictEqual(names, [...scanActions]);
  for (const parameter of ["WhatIf", "QuarantinePath", "MaxActions", "ForceAction", "Terminate"]) {
    strictEqual(text.includes(`Parameter = '${parameter}'`), true, parameter);
  }
});
