// Import without surprises (issue 14), in the real app: the wizard shows old → new for every
// changed field of a matched project, applies only the changes ticked, reads a label nothing
// read once it is mapped to a field, backs the plan up first, and undoes the import as a whole;
// a backup is restored from the 計画 menu.
import assert from "node:assert/strict";
import { test } from "node:test";
import { join } from "node:path";
import { ROOT, withScreenshot, useHarness, tid, textOf } from "./harness.mjs";

let h;
useHarness((started) => (h = started));

const UPDATE = join(ROOT, "tests/e2e/fixtures/onojo_update.xlsx");

async function selectProject(s, code) {
  await (await s.find(tid("tab-plan"))).click();
  await (await s.waitFor(`[data-testid="tree-project"][data-code="${code}"]`)).click();
  await s.waitUntil(`document.querySelector('[data-testid="editor-code"]')?.textContent === ${JSON.stringify(code)}`, { message: `editor shows ${code}` });
}

const value = (s, id) => s.exec(`return document.querySelector('[data-testid="${id}"]').value;`);

/** Picks the fixture and opens the check step. */
async function pickAndCheck(s) {
  await (await s.find(tid("tab-import"))).click();
  h.answerPicks([UPDATE]);
  await (await s.waitFor(tid("import-pick"))).click();
  await s.waitFor(`${tid("import-files")} li`);
  await (await s.find(tid("import-preview"))).click();
  return s.waitFor(`${tid("import-project")}`);
}

const fieldRow = (field) => `[data-testid="import-field"][data-field="${field}"]`;

test(
  "import shows old → new, applies only what was ticked, maps an unknown label, and is undone as a whole",
  withScreenshot(() => h, "import-undo", async () => {
    h.reset();
    const s = await h.launch();
    await selectProject(s, "Ⅰ-1-②");
    const summary0 = await value(s, "field-summary");
    assert.equal(await value(s, "budget-2025"), "4,000");

    await pickAndCheck(s);
    // every changed field with its old and new value, none applied yet
    const b25 = await s.waitFor(fieldRow("budget/2025/planned"));
    assert.match(await textOf(b25), /2025年度 事業費（千円）.*4,000千円.*→.*12,000千円/);
    assert.equal(await b25.attr("data-applied"), "false");
    assert.match(await textOf(await s.find(fieldRow("budget/2024/planned"))), /10,000千円.*→.*8,000千円/);
    assert.match(await textOf(await s.find(tid("import-summary"))), /反映しない既存の値の変更 2 項目/);
    // a label nothing reads: mapped to 概要, its change appears (held, like the others)
    const label = await s.waitFor(`[data-testid="unknown-label"][data-label="取組の中身"]`);
    await s.exec(
      `const sel = arguments[0].querySelector('[data-testid="map-field"]'); sel.value = "summary"; sel.dispatchEvent(new Event("change", { bubbles: true }));`,
      label.ref,
    );
    const sum = await s.waitFor(fieldRow("texts.summary"));
    assert.match(await textOf(sum), /概要.*→.*施設使用料もキャッシュレス決済に対応します/);
    // opt in to one field: the core's preview now applies it, and only it
    await (await (await s.find(fieldRow("budget/2025/planned"))).find(tid("accept-field"))).click();
    await s.waitUntil(`document.querySelector('${fieldRow("budget/2025/planned")}')?.dataset.applied === "true"`, { message: "the ticked change is applied" });
    assert.equal(await (await s.find(fieldRow("budget/2024/planned"))).attr("data-applied"), "false");
    assert.equal(await (await s.find(fieldRow("texts.summary"))).attr("data-applied"), "false");

    await (await s.find(tid("import-confirm"))).click();
    await s.waitFor(tid("import-done"));
    await selectProject(s, "Ⅰ-1-②");
    assert.equal(await value(s, "budget-2025"), "12,000", "the ticked change");
    assert.equal(await value(s, "budget-2024"), "10,000", "not ticked: unchanged");
    assert.equal(await value(s, "field-summary"), summary0, "not ticked: unchanged");

    // the plan was backed up before the import
    await (await s.find(tid("plan-menu"))).click();
    await (await s.waitFor(tid("menu-backups"))).click();
    const backup = await s.waitFor(tid("backup"));
    assert.match(await textOf(backup), /取り込みの前/);
    await s.exec(`document.querySelector('[data-testid="backups"] .actions button').click();`);

    // undone as a whole, from the list of imports
    await (await s.find(tid("tab-import"))).click();
    await (await s.waitFor(tid("import-undo"))).click();
    await (await s.waitFor(tid("ask-ok"))).click();
    await s.waitFor(tid("import-record"));
    assert.match(await textOf(await s.find(tid("import-record"))), /取り消し済み/);
    await selectProject(s, "Ⅰ-1-②");
    await s.waitUntil(`document.querySelector('[data-testid="budget-2025"]').value === "4,000"`, { message: "undo put the budget back" });
    await h.close();
  }),
);

test(
  "a backup taken before an import puts the plan back as it was",
  withScreenshot(() => h, "backup-restore", async () => {
    h.reset();
    const s = await h.launch();
    await pickAndCheck(s);
    await (await s.waitFor(tid("accept-all"))).click();
    await s.waitUntil(`document.querySelector('${fieldRow("budget/2024/planned")}')?.dataset.applied === "true"`, { message: "all accepted" });
    await (await s.find(tid("import-confirm"))).click();
    await s.waitFor(tid("import-done"));
    await selectProject(s, "Ⅰ-1-②");
    assert.equal(await value(s, "budget-2024"), "8,000");
    await (await s.find(tid("plan-menu"))).click();
    await (await s.waitFor(tid("menu-backups"))).click();
    await (await s.waitFor(tid("backup-restore"))).click();
    await (await s.waitFor(tid("ask-ok"))).click();
    await s.waitUntil(`!document.querySelector('[data-testid="backups"]')`, { message: "restored" });
    await selectProject(s, "Ⅰ-1-②");
    await s.waitUntil(`document.querySelector('[data-testid="budget-2024"]').value === "10,000"`, { message: "the plan as before the import" });
    await h.close();
  }),
);
