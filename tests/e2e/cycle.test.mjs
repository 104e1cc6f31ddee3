// End-to-end tests of the yearly cycle's screens in the real app (issues 15 and 16): a 照会
// round over the sample plan into a temp folder (departments listed, an answer merged from a
// folder, the 督促 copied), and 版 / 新旧対照表 (record a version, change a value, see it as
// 旧 / 新, write the workbook, open the version read-only and see editing refused).
import assert from "node:assert/strict";
import { test } from "node:test";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { ROOT, withScreenshot, useHarness, tid, textOf, typeInto } from "./harness.mjs";

let h;
useHarness((started) => (h = started));

/** Today in Japan (the app counts a round's days in JST), shifted by `days`, as YYYY-MM-DD. */
function jstDay(days) {
  const t = new Date(Date.now() + 9 * 3600_000 + days * 86_400_000);
  return t.toISOString().slice(0, 10);
}

/** A municipal laptop's window: 1366×697 of page. */
async function laptop(s) {
  await s.cmd("POST", "/window/rect", { width: 1366, height: 697 });
}

/** Nothing on the visible screen scrolls sideways. */
async function assertNoSideScroll(s, where) {
  const over = await s.exec(`return [document.documentElement, ...document.querySelectorAll('.screen:not(.inactive) .page, .screen:not(.inactive) .editor-scroll, .screen:not(.inactive) .version-view')]
    .filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => (e.className || e.tagName) + " " + e.scrollWidth + ">" + e.clientWidth);`);
  assert.deepEqual(over, [], `${where}: horizontal scroll at 1366×697`);
}

function edit(src, dst, sheetWith, label, value) {
  execFileSync("python3", [join(ROOT, "tests/e2e/xlsx_edit.py"), src, dst, "--sheet-with", sheetWith, "--label", label, "--value", value]);
}

test(
  "照会: a round over the sample writes every department's workbook into a folder and lists them; an answer merged from a folder shows who answered",
  withScreenshot(() => h, "round", async () => {
    h.reset();
    const s = await h.launch();
    await laptop(s);
    await (await s.find(tid("tab-rounds"))).click();
    // no round yet: the start form, every department owning a project checked
    await s.waitFor(tid("round-start"));
    await s.waitUntil(`document.querySelectorAll('[data-testid="round-dept"]').length > 0`, { message: "departments listed" });
    const names = await s.exec(`return [...document.querySelectorAll('[data-testid="round-dept"]')].filter((c) => c.checked).map((c) => c.dataset.name);`);
    assert.ok(names.length >= 5, `departments: ${names}`);
    assert.ok(names.includes("情報政策課"), `departments: ${names}`);
    assert.match(await (await s.find(tid("round-title"))).prop("value"), /^令和\d+年度 第1回 進捗照会$/);
    await assertNoSideScroll(s, "round start");

    // a deadline yesterday (so the round is late today), typed in 和暦-free Japanese
    const yesterday = jstDay(-1);
    const [y, m, d] = yesterday.split("-").map(Number);
    await typeInto(await s.find(tid("round-deadline")), `${y}年${m}月${d}日`);
    await s.waitUntil(`document.querySelector('[data-testid="round-deadline-read"]').textContent.startsWith(${JSON.stringify(`${y}年${m}月${d}日（`)})`, { message: "deadline read" });
    const out = join(h.tmp, "照会フォルダー");
    h.answerPicks([out]);
    await (await s.find(tid("round-pick-dir"))).click();
    await s.waitUntil(`document.querySelector('[data-testid="round-dir"]').value === ${JSON.stringify(out)}`, { message: "folder chosen" });
    await (await s.find(tid("round-start-go"))).click();

    // the round: every department listed, outstanding and one day late; its workbook in the folder
    await s.waitUntil(`document.querySelectorAll('[data-testid="round-dept-row"]').length === ${names.length}`, { timeout: 60_000, message: "departments in the status" });
    const rows = await s.exec(`return [...document.querySelectorAll('[data-testid="round-dept-row"]')].map((r) => [r.dataset.department, r.dataset.state, r.textContent]);`);
    assert.deepEqual(rows.map((r) => r[0]).sort(), [...names].sort());
    for (const [name, state, text] of rows) {
      assert.equal(state, "outstanding", name);
      assert.match(text, /1 日遅れ/, name);
    }
    const files = readdirSync(out).filter((f) => f.endsWith(".xlsx"));
    assert.equal(files.length, names.length, `files: ${files}`);
    assert.match(await (await s.find(tid("round-days"))).text(), /期限を 1 日経過/);
    assert.match(await textOf(await s.find(tid("round-totals"))), new RegExp(`未回答 ${names.length} 課`));

    // the 督促: one line per department, its draft copied for a mail
    assert.equal((await s.findAll(tid("remind-row"))).length, names.length);
    const row = await s.find(`[data-testid="remind-row"][data-department="情報政策課"]`);
    await (await row.find(tid("remind-copy"))).click();
    const copied = await s.waitUntil(`document.body.dataset.copied`, { message: "draft copied" });
    assert.match(copied, /情報政策課　DX推進員/);
    assert.match(copied, /提出期限の.*を1日過ぎて/);

    // 情報政策課 answers: 概要 of its first project and the cover filled in, saved into an answers folder
    const sent = join(out, files.find((f) => f.includes("情報政策課")));
    const answers = join(h.tmp, "回答");
    mkdirSync(answers, { recursive: true });
    const a1 = join(h.tmp, "a1.xlsx");
    const a2 = join(h.tmp, "a2.xlsx");
    edit(sent, a1, "オンライン申請の拡充", "概要", "課が照会で直した内容");
    edit(a1, a2, "事務局への連絡事項", "記入者（所属・氏名）", "情報政策課 山田 太郎");
    edit(a2, join(answers, "情報政策課_回答.xlsx"), "事務局への連絡事項", "事務局への連絡事項", "内容を更新しました。");

    // the round's own folder is not taken as the answers folder
    h.answerPicks([out]);
    await (await s.find(tid("round-scan"))).click();
    await s.waitUntil(`/書き出したフォルダー/.test(document.querySelector('.notices')?.textContent ?? "")`, { message: "export folder refused" });
    // the answers folder: previewed, then merged whole
    h.answerPicks([answers]);
    await (await s.find(tid("round-scan"))).click();
    const file = await s.waitFor(tid("round-folder-file"), { timeout: 30_000 });
    assert.match(await textOf(file), /情報政策課.*適用 1/);
    await (await s.find(tid("round-merge-all"))).click();
    await s.waitUntil(`document.querySelector('[data-testid="round-dept-row"][data-department="情報政策課"]')?.dataset.state === "answered"`, { timeout: 30_000, message: "answered" });
    const answered = await textOf(await s.find(`[data-testid="round-dept-row"][data-department="情報政策課"]`));
    assert.match(answered, /回答済み/);
    assert.match(answered, /情報政策課 山田 太郎/);
    assert.match(answered, /連絡事項：内容を更新しました。/);
    assert.match(await textOf(await s.find(tid("round-totals"))), /回答済み 1 課/);
    assert.equal((await s.findAll(tid("remind-row"))).length, names.length - 1);
    await assertNoSideScroll(s, "round status");

    // its answer opens in the merge inbox (already merged: nothing more to apply)
    await (await s.find(`[data-testid="round-dept-row"][data-department="情報政策課"] [data-testid="round-open-inbox"]`)).click();
    const report = await s.waitFor(tid("merge-report"), { timeout: 30_000 });
    assert.match(await textOf(report), /情報政策課/);
    assert.match(await textOf(report), /統合済み/);
    await h.close();
  }),
);

async function selectProject(s, code, scope = "") {
  const row = await s.waitFor(`${scope} [data-testid="tree-project"][data-code="${code}"]`);
  await row.click();
}

test(
  "版: a recorded version, a value changed after it, the change as 旧 / 新 in the 新旧対照表 and its workbook; the version opens read-only and refuses edits",
  withScreenshot(() => h, "versions", async () => {
    h.reset();
    const s = await h.launch();
    await laptop(s);
    await (await s.find(tid("tab-versions"))).click();
    await s.waitFor(tid("version-record"));
    await typeInto(await s.find(tid("version-label")), "第1.0版");
    await typeInto(await s.find(tid("version-date")), "令和4年8月1日");
    await typeInto(await s.find(tid("version-note")), "当初策定");
    await (await s.find(tid("version-record-go"))).click();
    const vrow = await s.waitFor(`[data-testid="version-row"][data-label="第1.0版"]`);
    assert.match(await textOf(vrow), /2022年8月1日.*当初策定/);
    assert.match(await textOf(await s.find(".plan-sub")), /第1\.0版/);

    // the office changes Ⅰ-1-②'s 2024 budget after the version
    await (await s.find(tid("tab-plan"))).click();
    await selectProject(s, "Ⅰ-1-②");
    await s.waitUntil(`document.querySelector('[data-testid="editor-code"]')?.textContent === "Ⅰ-1-②"`);
    const cell = await s.waitFor(tid("budget-2024"));
    const before = await cell.prop("value");
    const t0 = Date.now();
    await typeInto(cell, "12,345");
    await s.waitUntil(`Number(document.body.dataset.lastSave || 0) > ${t0}`, { message: "saved" });

    // the comparison with now: 新 12,345 beside 旧 (what the version holds)
    await (await s.find(tid("tab-versions"))).click();
    await (await s.waitFor(`[data-testid="version-row"][data-label="第1.0版"] [data-testid="version-compare"]`)).click();
    const item = await s.waitFor(`[data-testid="compare-item"][data-code="Ⅰ-1-②"]`, { timeout: 30_000 });
    const change = await item.find(`[data-testid="compare-change"][data-field="budget"]`);
    assert.match(await textOf(change), /2024年度/);
    assert.equal((await textOf(await change.find(tid("compare-new")))).trim(), "12,345千円");
    assert.equal((await textOf(await change.find(tid("compare-old")))).trim(), before === "" ? "（なし）" : `${before}千円`);
    const headers = await s.exec(`return [...document.querySelectorAll('[data-testid="compare-item"] table.cmp thead th')].slice(0, 3).map((t) => t.textContent);`);
    assert.deepEqual(headers, ["項目", "変更後（新）", "変更前（旧）"]);
    // the budget per 基本方針: Ⅰ's total changed, before it the sample's 626,400
    const oldI = await textOf(await s.find(`[data-testid="compare-budget-old"][data-code="Ⅰ"]`));
    assert.match(oldI, /626,400/);
    await assertNoSideScroll(s, "comparison");
    // the workbook
    const xlsx = join(h.tmp, "新旧対照表.xlsx");
    h.answerPicks([xlsx]);
    await (await s.find(tid("compare-export"))).click();
    await s.waitUntil(`/新旧対照表を書き出しました/.test(document.querySelector('.notices')?.textContent ?? "")`, { message: "workbook written" });
    assert.ok(existsSync(xlsx) && statSync(xlsx).size > 0);

    // the version, read-only: marked, the old value, every field disabled, an edit refused
    await (await s.find(tid("versions-view-list"))).click();
    await (await s.waitFor(`[data-testid="version-row"][data-label="第1.0版"] [data-testid="version-open"]`)).click();
    const badge = await s.waitFor(tid("version-readonly-badge"));
    assert.equal(await badge.text(), "第1.0版（閲覧のみ）");
    await selectProject(s, "Ⅰ-1-②", tid("version-view"));
    await s.waitUntil(`document.querySelector('[data-testid="version-editor-code"]')?.textContent === "Ⅰ-1-②"`, { message: "version sheet" });
    const old = await s.waitFor(`${tid("version-editor")} ${tid("budget-2024")}`);
    assert.equal(await old.prop("value"), before);
    assert.equal(await s.exec(`return arguments[0].matches(":disabled");`, old.ref), true);
    await assertNoSideScroll(s, "version read-only");
    const saves = await s.exec(`return document.body.dataset.lastSave;`);
    let refused = false;
    try {
      await typeInto(old, "99,999");
    } catch {
      refused = true; // WebDriver itself refuses to type into a disabled field
    }
    assert.equal(await old.prop("value"), before, `typing changed nothing (refused by WebDriver: ${refused})`);
    assert.equal(await s.exec(`return document.body.dataset.lastSave;`), saves, "nothing saved");
    // the plan itself still has the new value
    await (await s.find(tid("version-close"))).click();
    await s.waitFor(tid("version-list"));
    await (await s.find(tid("tab-plan"))).click();
    await s.waitUntil(`document.querySelector('[data-testid="editor"] [data-testid="budget-2024"]')?.value === "12,345"`, { message: "the plan keeps the edit" });
    await h.close();
  }),
);
