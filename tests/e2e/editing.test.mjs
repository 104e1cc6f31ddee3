// Editing like Excel, and nothing lost (issue 14), in the real app: text typed in a field is
// saved when the window is closed (the close button, as the window manager sends it) while the
// field still has the focus; a refused value is marked in its cell with the reason and the cell
// then shows what is stored; a row copied from Excel pastes across the cells; Enter and the
// arrow keys move between cells.
import assert from "node:assert/strict";
import { test } from "node:test";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { ROOT, withScreenshot, useHarness, tid } from "./harness.mjs";
import { Keys, sleep } from "./webdriver.mjs";

let h;
useHarness((started) => (h = started));

const value = (s, id) => s.exec(`return document.querySelector('[data-testid="${id}"]').value;`);
const active = (s) => s.exec(`return document.activeElement?.dataset.testid ?? null;`);

async function selectProject(s, code) {
  await (await s.waitFor(`[data-testid="tree-project"][data-code="${code}"]`)).click();
  await s.waitUntil(`document.querySelector('[data-testid="editor-code"]')?.textContent === ${JSON.stringify(code)}`, { message: `editor shows ${code}` });
}

/** Key presses through WebDriver actions (trusted events: the webview copies and pastes). */
async function keys(s, ...steps) {
  const actions = [];
  for (const st of steps) {
    if (st.chord) {
      for (const k of st.chord) actions.push({ type: "keyDown", value: k });
      for (const k of [...st.chord].reverse()) actions.push({ type: "keyUp", value: k });
    }
  }
  await s.cmd("POST", "/actions", { actions: [{ type: "key", id: "keyboard", actions }] });
  await s.cmd("DELETE", "/actions");
}

test(
  "text typed in 目的 is saved when the window is closed while the field has the focus",
  withScreenshot(() => h, "close-while-typing", async () => {
    h.reset();
    let s = await h.launch();
    await selectProject(s, "Ⅰ-1-①");
    const field = await s.waitFor(tid("field-purpose"));
    await field.click();
    await s.exec("arguments[0].select();", field.ref);
    const typed = "閉じる直前に入力した目的（保存ボタンは押していません）";
    await field.type(typed);
    // still being edited: nothing saved yet, and the sheet says so
    await s.waitFor(tid("unsaved"));
    assert.equal(await active(s), "field-purpose");
    // the window's close button (WM_DELETE_WINDOW), as a person would
    execFileSync("python3", [join(ROOT, "tests/e2e/xclose.py")], { env: { ...process.env, DISPLAY: h.xvfb.display } });
    // the app saves, then closes
    const end = Date.now() + 15_000;
    let gone = false;
    while (Date.now() < end && !gone) {
      try {
        await s.exec("return 1;");
        await sleep(200);
      } catch {
        gone = true;
      }
    }
    assert.ok(gone, "the window closed");
    await h.close();

    s = await h.launch();
    await selectProject(s, "Ⅰ-1-①");
    assert.equal(await value(s, "field-purpose"), typed);
    // and the history has it as one edit
    await (await s.find(tid("tab-history"))).click();
    const row = await s.waitFor(`[data-testid="history-row"][data-field="texts.purpose"]`);
    assert.match(await s.exec("return arguments[0].textContent;", row.ref), /目的.*閉じる直前に入力した目的/);
    await h.close();
  }),
);

test(
  "a refused value is marked in its cell with the reason, and the cell then shows what is stored",
  withScreenshot(() => h, "refused-value", async () => {
    h.reset();
    const s = await h.launch();
    await selectProject(s, "Ⅰ-1-②");
    const cell = await s.waitFor(tid("budget-2024"));
    assert.equal(await cell.prop("value"), "10,000");
    await cell.click();
    await s.exec("arguments[0].select();", cell.ref);
    await cell.type("約5千" + Keys.ENTER);
    await s.waitUntil(`!!document.querySelector('[data-testid="budget-2024"]').dataset.refused`, { message: "the cell is marked" });
    assert.match(await cell.attr("data-refused"), /千円単位の金額として読めません/);
    assert.equal(await cell.attr("aria-invalid"), "true");
    // still in the cell, with its text, so it can be corrected; the reason beside it
    assert.equal(await active(s), "budget-2024");
    assert.equal(await cell.prop("value"), "約5千");
    const bubble = await s.waitFor(tid("cell-refusal"));
    assert.match(await s.exec("return arguments[0].textContent;", bubble.ref), /反映できませんでした：「約5千」は千円単位の金額として読めません.*保存されている値：10,000/);
    // leaving the cell: it shows what is stored, still marked
    await cell.type(Keys.TAB);
    await s.waitUntil(`document.querySelector('[data-testid="budget-2024"]').value === "10,000"`, { message: "the stored value is shown" });
    assert.match(await cell.attr("data-refused"), /千円単位/);
    // a refused start year: typed again after leaving, it is refused again (not ignored)
    const start = await s.waitFor(tid("task-start-0"));
    const stored = await start.prop("value");
    // count the refusals shown (each commit clears the mark, a refusal sets it again)
    await s.exec(
      `window.__refusals = 0; new MutationObserver((ms) => ms.forEach((m) => { if (m.target.dataset.refused) window.__refusals++; }))
         .observe(arguments[0], { attributes: true, attributeFilter: ["data-refused"] });`,
      start.ref,
    );
    for (let i = 1; i <= 2; i++) {
      await start.click();
      await s.exec("arguments[0].select();", start.ref);
      await start.type("R9" + Keys.TAB);
      await s.waitUntil(`window.__refusals >= ${i}`, { message: `start refused (${i})` });
      assert.match(await start.attr("data-refused"), /終了年度より後/);
      await s.waitUntil(`document.querySelector('[data-testid="task-start-0"]').value === ${JSON.stringify(stored)}`, { message: "stored start shown" });
    }
    // a good value clears the mark
    await cell.click();
    await s.exec("arguments[0].select();", cell.ref);
    await cell.type("5,000" + Keys.ENTER);
    await s.waitUntil(`document.querySelector('[data-testid="budget-2024"]').value === "5,000" && !document.querySelector('[data-testid="budget-2024"]').dataset.refused`, { message: "saved, mark gone" });
    await h.close();
  }),
);

test(
  "a row copied from Excel pastes across the cells, and Enter and the arrows move like a spreadsheet",
  withScreenshot(() => h, "paste-row", async () => {
    h.reset();
    const s = await h.launch();
    await selectProject(s, "Ⅰ-1-②");
    const kpi = await s.waitFor(`[data-testid^="indicator-"][data-kind="KPI"]`);
    const idx = (await kpi.attr("data-testid")).split("-")[1];
    // the row as Excel puts it on the clipboard: cells separated by tabs, a final newline
    await s.exec(`const t = document.createElement("textarea"); t.id = "excel"; t.value = "10%\\t25%\\t40%\\n"; document.body.appendChild(t); t.focus(); t.select();`);
    await keys(s, { chord: [Keys.CONTROL, "c"] });
    await s.exec(`document.getElementById("excel").remove();`);
    const first = await s.find(`[data-testid="ind-${idx}-2023-target"]`);
    await first.click();
    await s.exec("arguments[0].select();", first.ref);
    const t0 = Date.now();
    await keys(s, { chord: [Keys.CONTROL, "v"] });
    await s.waitUntil(`Number(document.body.dataset.lastSave || 0) > ${t0}`, { message: "pasted and saved" });
    const got = await s.exec(`return [2023, 2024, 2025].map((fy) => document.querySelector('[data-testid="ind-${idx}-' + fy + '-target"]').value);`);
    assert.deepEqual(got, ["10%", "25%", "40%"]);
    // one edit, undone at once
    await (await s.find(tid("undo"))).click();
    await s.waitUntil(`document.querySelector('[data-testid="ind-${idx}-2025-target"]').value === "40%" && document.querySelector('[data-testid="ind-${idx}-2023-target"]').value !== "10%"`, { message: "undone as one" });

    // Enter commits and goes down; → at the end of the text goes right; ↑ goes up
    const b = await s.find(tid("budget-2023"));
    await b.click();
    await s.exec("arguments[0].select();", b.ref);
    await b.type("7,000" + Keys.ENTER);
    await s.waitUntil(`document.activeElement?.dataset.testid === "general-2023"`, { message: "Enter went down" });
    await (await s.find(tid("general-2023"))).type("\uE013");
    await s.waitUntil(`document.activeElement?.dataset.testid === "budget-2023"`, { message: "↑ went up" });
    await s.exec(`const e = document.activeElement; e.setSelectionRange(e.value.length, e.value.length);`);
    await (await s.find(tid("budget-2023"))).type(Keys.ARROW_RIGHT);
    await s.waitUntil(`document.activeElement?.dataset.testid === "budget-2024"`, { message: "→ went right" });
    assert.equal(await value(s, "budget-2023"), "7,000");
    await h.close();
  }),
);
