// End-to-end tests of the real dxplan app (Tauri + WebKitGTK) driven over WebDriver:
// tauri-driver + WebKitWebDriver under Xvfb. Run: node --test tests/e2e/ (see scripts/test.sh).
import assert from "node:assert/strict";
import { test } from "node:test";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, withScreenshot, useHarness, tid, textOf, typeInto } from "./harness.mjs";
import { Keys } from "./webdriver.mjs";

let h;
useHarness((started) => (h = started));

test(
  "the sample plan (tried from the first-start screen) opens with its 30 projects",
  withScreenshot(() => h, "open-sample", async () => {
    const s = await h.launch();
    assert.equal(await (await s.find(tid("plan-title"))).text(), "大野城市DX推進計画");
    assert.match(await (await s.find(tid("match-count"))).text(), /30 \/ 30 事業/);
    const first = await s.find(tid("tree-project"));
    assert.match(await first.attr("data-code"), /^Ⅰ-1-①$/);
    // the list is virtual: with Ⅰ folded, both 基本方針 are in view
    await (await s.find(tid("tree-policy"))).click();
    await s.waitUntil(`document.querySelectorAll('[data-testid="tree-policy"]').length === 2`, { message: "two policies" });
    await h.close();
  }),
);

/** Replaces the text of an IME-safe field and commits it with Enter, as a person would. */

/** The element's whole text (getText returns only what WebKit considers rendered). */

async function waitSaved(s, before) {
  await s.waitUntil(`Number(document.body.dataset.lastSave || 0) > ${before}`, { message: "edit saved" });
}

async function selectProject(s, code) {
  const row = await s.waitFor(`[data-testid="tree-project"][data-code="${code}"]`);
  await row.click();
  await s.waitUntil(`document.querySelector('[data-testid="editor-code"]')?.textContent === ${JSON.stringify(code)}`, { message: `editor shows ${code}` });
}

test(
  "a KPI actual typed in the sheet is saved at once and is there after a restart",
  withScreenshot(() => h, "kpi-restart", async () => {
    let s = await h.launch();
    await selectProject(s, "Ⅰ-1-①");
    const kpi = await s.waitFor(`[data-testid^="indicator-"][data-kind="KPI"]`);
    const idx = (await kpi.attr("data-testid")).split("-")[1];
    const cell = await s.find(`[data-testid="ind-${idx}-2023-actual"]`);
    const t0 = Date.now();
    await typeInto(cell, "66 手続");
    await waitSaved(s, t0);
    await s.waitUntil(`/保存しました/.test(document.querySelector('[data-testid="save-status"]')?.textContent ?? "")`, { message: "saved shown" });
    // the edit is in the project's history as one local edit
    await (await s.find(tid("tab-history"))).click();
    const hrow = await s.waitFor(`[data-testid="history-row"][data-field$="/2023/actual"]`);
    assert.match(await textOf(hrow), /編集.*66 手続/);
    await h.close();

    s = await h.launch();
    await selectProject(s, "Ⅰ-1-①");
    const again = await s.waitFor(`[data-testid="ind-${idx}-2023-actual"]`);
    assert.equal(await again.prop("value"), "66 手続");
    await h.close();
  }),
);

test(
  "undo and redo restore a saved edit",
  withScreenshot(() => h, "undo-redo", async () => {
    const s = await h.launch();
    await selectProject(s, "Ⅰ-1-②");
    const cell = await s.waitFor(tid("budget-2024"));
    const before = await cell.prop("value");
    const t0 = Date.now();
    await typeInto(cell, "12,345");
    await waitSaved(s, t0);
    await s.waitUntil(`document.querySelector('[data-testid="budget-2024"]').value === "12,345"`);
    await (await s.find(tid("undo"))).click();
    await s.waitUntil(`document.querySelector('[data-testid="budget-2024"]').value === ${JSON.stringify(before)}`, { message: "undo restored the budget" });
    await (await s.find(tid("redo"))).click();
    await s.waitUntil(`document.querySelector('[data-testid="budget-2024"]').value === "12,345"`, { message: "redo re-applied" });
    await h.close();
  }),
);

test(
  "the import wizard previews a legacy workbook, then imports it on confirmation",
  withScreenshot(() => h, "import-wizard", async () => {
    const fixture = join(ROOT, "tests/e2e/fixtures/onojo_new_project.xlsx");
    const s = await h.launch();
    const count0 = await (await s.find(tid("match-count"))).text();
    await (await s.find(tid("tab-import"))).click();
    h.answerPicks([fixture]);
    await (await s.waitFor(tid("import-pick"))).click();
    await s.waitFor(`${tid("import-files")} li`);
    await (await s.find(tid("import-preview"))).click();
    await s.waitFor(tid("import-report"));
    await s.waitUntil(`!document.querySelector('[data-testid="import-progress"]')`, { message: "checked" });
    const text = await textOf(await s.find(tid("import-wizard")));
    assert.match(text, /まだ変更していません/);
    assert.match(text, /新規 1 件/);
    assert.match(text, /Ⅰ-1-④!A9/, "guess with its Sheet!A1 reference");
    assert.match(text, /目次/);
    // nothing changed yet
    await (await s.find(tid("tab-plan"))).click();
    assert.equal(await (await s.find(tid("match-count"))).text(), count0);
    await (await s.find(tid("tab-import"))).click();
    await (await s.waitFor(tid("import-confirm"))).click();
    await s.waitFor(tid("import-again"));
    await (await s.find(tid("tab-plan"))).click();
    await s.waitUntil(`/31 \\/ 31 事業/.test(document.querySelector('[data-testid="match-count"]').textContent)`, { message: "31 projects after import" });
    await (await s.find(tid("tree-search"))).type("電子契約");
    const row = await s.waitFor(`[data-testid="tree-project"]`, { pred: async (e) => /電子契約システムの導入/.test(await textOf(e)) });
    await row.click();
    const budget = await s.waitFor(tid("budget-total"));
    assert.equal(await budget.text(), "5,400");
    await h.close();
  }),
);

test(
  "dashboard budget totals equal the sample plan's (1,240,400 千円; Ⅰ 626,400, Ⅱ 614,000)",
  withScreenshot(() => h, "dashboard", async () => {
    h.reset();
    const s = await h.launch();
    await (await s.find(tid("tab-dashboard"))).click();
    const grand = await s.waitFor(tid("budget-grand-total"));
    assert.equal(await grand.text(), "1,240,400");
    const totals = await s.findAll(tid("budget-row-total"));
    assert.deepEqual(await Promise.all(totals.map((t) => t.text())), ["626,400", "614,000"]);
    const rows = await s.exec(`return [...document.querySelectorAll('[data-testid="budget-row"]')].map((r) => [...r.cells].slice(1).map((c) => c.textContent));`);
    assert.deepEqual(rows, [
      ["19,100", "170,100", "222,100", "215,100", "626,400"],
      ["29,000", "108,000", "27,000", "450,000", "614,000"],
    ]);
    await s.find(tid("budget-chart"));
    // KPI filtered by 課 and 基本方針; past years' missing 実績 marked, with whom to ask
    await (await s.find(tid("dash-kpi"))).click();
    await s.waitFor(tid("kpi-table"));
    const all = (await s.findAll(tid("kpi-row"))).length;
    await choose(s, "kpi-unit", "市民課");
    await s.waitUntil(`document.querySelectorAll('[data-testid="kpi-row"]').length < ${all}`, { message: "filtered by 課" });
    const owners = await s.exec(`return [...document.querySelectorAll('[data-testid="kpi-row"]')].map((r) => r.dataset.project);`);
    assert.ok(owners.length > 0);
    await choose(s, "kpi-unit", "すべての課");
    await choose(s, "kpi-policy", "Ⅱ");
    await s.waitUntil(`document.querySelectorAll('[data-testid="kpi-row"]').length < ${all}`, { message: "filtered by 基本方針" });
    const codes = await s.exec(`return [...document.querySelectorAll('[data-testid="kpi-row"] button.link')].map((b) => b.textContent);`);
    assert.ok(codes.length > 0 && codes.every((c) => c.startsWith("Ⅱ-")), codes.join(","));
    assert.match(await textOf(await s.find(tid("kpi-chase"))), /実績が未記入：\d+ 件。催促先：/);
    await h.close();
  }),
);

/** Chooses the option of a <select> whose text starts with `text` (as a click would). */
async function choose(s, testid, text) {
  const ok = await s.exec(
    `const s = document.querySelector('[data-testid="${testid}"]');
     const o = [...s.options].find((o) => o.text.startsWith(arguments[0]));
     if (!o) return false;
     s.value = o.value; s.dispatchEvent(new Event("change", { bubbles: true })); return true;`,
    text,
  );
  assert.ok(ok, `option ${text} in ${testid}`);
}

function isZip(path) {
  return existsSync(path) && readFileSync(path).subarray(0, 2).toString() === "PK";
}

test(
  "exports a department workbook and the master workbook to the chosen paths",
  withScreenshot(() => h, "export", async () => {
    h.reset();
    const s = await h.launch();
    await (await s.find(tid("tab-export"))).click();
    await s.waitUntil(`document.querySelector('[data-testid="export-department"]')?.options.length > 0`);
    await choose(s, "export-department", "情報政策課");
    const dept = join(h.tmp, "情報政策課_照会.xlsx");
    h.answerPicks([dept]);
    await (await s.find(tid("export-department-go"))).click();
    const res = await s.waitFor(tid("export-result"));
    assert.match(await textOf(res), /情報政策課_照会\.xlsx/);
    assert.ok(isZip(dept), "department workbook written");
    const master = join(h.tmp, "全体.xlsx");
    h.answerPicks([master]);
    await (await s.find(tid("export-master-go"))).click();
    await s.waitUntil(`document.querySelectorAll('[data-testid="export-result"]').length === 2`, { message: "master exported" });
    assert.ok(isZip(master), "master workbook written");
    await h.close();
  }),
);

test(
  "merges a department submission with a conflict, resolves it with one click, and undoes the merge",
  withScreenshot(() => h, "merge", async () => {
    h.reset();
    let s = await h.launch();
    // 1. the office sends 情報政策課 its workbook
    await (await s.find(tid("tab-export"))).click();
    await s.waitUntil(`document.querySelector('[data-testid="export-department"]')?.options.length > 0`);
    await choose(s, "export-department", "情報政策課");
    const dept = join(h.tmp, "dept.xlsx");
    h.answerPicks([dept]);
    await (await s.find(tid("export-department-go"))).click();
    await s.waitFor(tid("export-result"));
    // 2. the department edits 概要 of Ⅰ-1-① in Excel and sends it back
    const sub = join(h.tmp, "dept_回答.xlsx");
    execFileSync("python3", [join(ROOT, "tests/e2e/xlsx_edit.py"), dept, sub, "--sheet-with", "オンライン申請の拡充", "--label", "概要", "--value", "課が直した内容"]);
    // 3. meanwhile the office edits the same field
    await (await s.find(tid("tab-plan"))).click();
    await selectProject(s, "Ⅰ-1-①");
    const summary = await s.waitFor(tid("field-summary"));
    const t0 = Date.now();
    await summary.click();
    await s.exec("arguments[0].select();", summary.ref);
    await summary.type("本庁が直した内容" + Keys.TAB);
    await waitSaved(s, t0);
    // 4. merge: the preview shows the conflict, nothing is written yet
    await (await s.find(tid("tab-merge"))).click();
    h.answerPicks([sub]);
    await (await s.waitFor(tid("merge-add"))).click();
    const pre = await s.waitFor(tid("merge-conflict"));
    assert.match(await textOf(pre), /本庁が直した内容.*課が直した内容/);
    await (await s.find(tid("merge-apply"))).click();
    const conflict = await s.waitFor(tid("conflict"));
    const cells = await s.exec(`return [...arguments[0].cells].map((c) => c.textContent);`, conflict.ref);
    assert.match(cells[1], /令和3（2021）年度から開始した/, "base: what the department received");
    assert.match(cells[2], /本庁が直した内容/, "ours");
    assert.match(cells[3], /課が直した内容/, "theirs");
    // 5. one click takes the department's value
    await (await conflict.find(tid("take-theirs"))).click();
    await s.waitUntil(`document.querySelectorAll('[data-testid="conflict"]').length === 0`, { message: "conflict resolved" });
    await (await s.find(tid("tab-plan"))).click();
    await s.waitUntil(`document.querySelector('[data-testid="field-summary"]').value === "課が直した内容"`, { message: "the sheet shows the department's text" });
    // 6. the merge is listed and can be undone (the screen, visited before, is in the page
    // hidden until the tab shows it: wait for that, not only for its button)
    await (await s.find(tid("tab-merge"))).click();
    await s.waitUntil(`!document.querySelector('[data-testid="merge"]').closest(".screen").classList.contains("inactive")`, { message: "merge screen shown" });
    await (await s.waitFor(tid("undo-merge"))).click();
    // asked first: nothing is undone by a stray click
    const question = await s.waitFor(tid("ask"));
    assert.match(await textOf(question), /統合の前に戻します/);
    await (await s.find(tid("ask-ok"))).click();
    await s.waitUntil(`/取り消し済み/.test(document.querySelector('[data-testid="submission"]').textContent)`, { message: "merge undone" });
    await h.close();
    // 7. after a restart the merge is still listed (as undone)
    s = await h.launch();
    await (await s.find(tid("tab-merge"))).click();
    await s.waitFor(tid("submission"));
    assert.equal((await s.findAll(tid("submission"))).length, 1);
    await h.close();
  }),
);

test(
  "課モード: a working copy where only the department's projects are editable, its changes listed, and an answer with 記入者・連絡先・連絡事項 on its cover",
  withScreenshot(() => h, "department", async () => {
    h.reset();
    let s = await h.launch();
    await (await s.find(tid("tab-export"))).click();
    await s.waitUntil(`document.querySelector('[data-testid="export-department"]')?.options.length > 0`);
    await choose(s, "export-department", "市民課");
    const dept = join(h.tmp, "市民課.xlsx");
    h.answerPicks([dept]);
    await (await s.find(tid("export-department-go"))).click();
    await s.waitFor(tid("export-result"));
    const total = await s.exec(`return document.querySelectorAll('[data-testid="export-department"] option').length;`);
    assert.ok(total > 1);

    await (await s.find(tid("tab-department"))).click();
    h.answerPicks([dept]);
    await (await s.waitFor(tid("open-department-workbook"))).click();
    await s.waitUntil(`document.querySelector('[data-testid="app"]')?.dataset.mode === "department"`, { message: "department mode" });
    assert.match(await textOf(await s.find(tid("mode-badge"))), /市民課/);
    // office-only screens are gone; the working copy holds the department's projects, all its own
    assert.equal((await s.findAll(tid("tab-merge"))).length, 0);
    const rows = await s.exec(`return [...document.querySelectorAll('[data-testid="tree-project"]')].map((r) => r.classList.contains("readonly"));`);
    assert.ok(rows.length > 0 && rows.length < 30, `a subset of the plan (${rows.length})`);
    // edit a project of the department: saved in the working copy
    await (await s.findAll(tid("tree-project")))[0].click();
    const cell = await s.waitFor(tid("budget-2025"));
    const t0 = Date.now();
    await typeInto(cell, "7,777");
    await waitSaved(s, t0);
    // before writing: what this working copy changed, in words
    await (await s.find(tid("tab-department"))).click();
    const change = await s.waitFor(tid("department-change"));
    assert.match(await textOf(change), /2025年度 事業費（千円）.*→?.*7,777千円/);
    assert.equal((await s.findAll(tid("department-change"))).length, 1);
    // 記入者 is asked for; the cover carries it, 連絡先 and the message to the office
    assert.equal(await s.exec(`return document.querySelector('[data-testid="write-submission"]').disabled;`), true);
    await (await s.find(tid("cover-respondent"))).type("市民課 山田 太郎");
    await (await s.find(tid("cover-contact"))).type("内線1234");
    await (await s.find(tid("cover-remarks"))).type("2025年度の事業費は見込みです。");
    const submission = join(h.tmp, "市民課_提出.xlsx");
    h.answerPicks([submission]);
    await (await s.waitFor(tid("write-submission"))).click();
    await s.waitUntil(`/提出用ファイルを書き出しました/.test(document.body.textContent)`, { message: "submission written" });
    assert.ok(isZip(submission), "submission workbook written");
    const strings = execFileSync("python3", ["-c", "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); print(''.join(z.read(n).decode() for n in z.namelist() if n.startswith('xl/sharedStrings') or n.startswith('xl/worksheets/sheet1')))", submission]).toString();
    for (const v of ["市民課 山田 太郎", "内線1234", "2025年度の事業費は見込みです。"]) assert.ok(strings.includes(v), `cover has ${v}`);
    await h.close();
    // the app reopens in department mode on the working copy
    s = await h.launch();
    assert.equal(await s.exec(`return document.querySelector('[data-testid="app"]').dataset.mode;`), "department");
    await (await s.find(tid("tab-department"))).click();
    await (await s.waitFor(tid("leave-department"))).click();
    await s.waitUntil(`document.querySelector('[data-testid="app"]')?.dataset.mode === "office"`, { message: "back to the office plan" });
    // the office merges the submission: exactly the department's one edit applies
    await (await s.find(tid("tab-merge"))).click();
    h.answerPicks([submission]);
    await (await s.waitFor(tid("merge-add"))).click();
    const applied = await s.waitFor(tid("merge-applied"));
    assert.match(await textOf(applied), /7,?777/);
    assert.equal((await s.findAll(tid("merge-applied"))).length, 1, "one change");
    assert.equal((await s.findAll(tid("merge-conflict"))).length, 0, "no conflict");
    // merged: the office sees who answered and what they said
    await (await s.find(tid("merge-apply"))).click();
    const who = await s.waitFor(tid("submission-who"));
    assert.match(await textOf(who), /市民課 山田 太郎.*内線1234/);
    assert.match(await textOf(await s.find(tid("submission-remarks"))), /見込みです/);
    await h.close();
  }),
);
