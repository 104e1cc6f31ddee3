// End-to-end test of the 部 review in the real app (issue 15): a round where 総務部 gathers its
// 課, 防災安全課's answer edited like a person in Excel, 総務部's workbook opened as a working
// copy that takes the 課 answer in (preview, then taken), 総務部's one submission written and
// merged at the office, and the chain 課 → 部 → 事務局 in the history.
import assert from "node:assert/strict";
import { test } from "node:test";
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { ROOT, withScreenshot, useHarness, tid, textOf, typeInto } from "./harness.mjs";
import { Keys } from "./webdriver.mjs";

let h;
useHarness((started) => (h = started));

const PROJECT = "避難所運営の円滑化と情報共有の多重化"; // led by 防災安全課 (総務部)
const NEW_SUMMARY = "防災安全課が照会で直した概要（総務部経由）";

function edit(src, dst, sheetWith, label, value) {
  execFileSync("python3", [join(ROOT, "tests/e2e/xlsx_edit.py"), src, dst, "--sheet-with", sheetWith, "--label", label, "--value", value]);
}

/** Clicks the tree row of the project titled `title` and waits for its sheet. */
async function openProject(s, title) {
  const code = await s.waitUntil(`[...document.querySelectorAll('[data-testid="tree-project"]')].find((r) => r.title.includes(${JSON.stringify(title)}))?.dataset.code`, { message: `${title} in the tree` });
  await (await s.find(`[data-testid="tree-project"][data-code="${code}"]`)).click();
  await s.waitUntil(`document.querySelector('[data-testid="editor-code"]')?.textContent === ${JSON.stringify(code)}`, { message: `sheet ${code}` });
  return code;
}

test(
  "部 review: 総務部 takes 防災安全課's answer into its working copy, sends one answer, and the office sees 課 → 部 → 事務局",
  withScreenshot(() => h, "bu-review", async () => {
    h.reset();
    let s = await h.launch();
    // the office starts a round where 総務部 gathers its 課
    await (await s.find(tid("tab-rounds"))).click();
    await s.waitFor(tid("round-start"));
    await s.waitUntil(`!!document.querySelector('[data-testid="round-reviewer"][data-name="総務部"]')`, { message: "総務部 offered as a reviewer" });
    await (await s.find(`[data-testid="round-reviewer"][data-name="総務部"]`)).click();
    await typeInto(await s.find(tid("round-deadline")), "2099年3月31日");
    const out = join(h.tmp, "照会");
    h.answerPicks([out]);
    await (await s.find(tid("round-pick-dir"))).click();
    await s.waitUntil(`document.querySelector('[data-testid="round-dir"]').value === ${JSON.stringify(out)}`);
    await (await s.find(tid("round-start-go"))).click();
    await s.waitFor(tid("round-dept-row"), { timeout: 60_000 });
    const files = readdirSync(out);
    const bu = files.find((f) => f.endsWith("_総務部.xlsx"));
    const ka = files.find((f) => f.endsWith("_防災安全課.xlsx"));
    assert.ok(bu && ka, `files: ${files}`);
    await s.waitUntil(`[...document.querySelectorAll('[data-testid="round-dept-row"]')].some((r) => r.dataset.department === "防災安全課" && /総務部で取りまとめ/.test(r.textContent))`, { message: "防災安全課 goes through 総務部" });

    // 防災安全課 answers in Excel: the 概要 of its project and 記入者 on the cover
    const answers = join(h.tmp, "回答");
    mkdirSync(answers, { recursive: true });
    const a1 = join(h.tmp, "a1.xlsx");
    const kaAnswer = join(answers, "防災安全課_回答.xlsx");
    edit(join(out, ka), a1, PROJECT, "概要", NEW_SUMMARY);
    edit(a1, kaAnswer, "事務局への連絡事項", "記入者（所属・氏名）", "防災安全課 伊藤");

    // 総務部 opens its workbook as a working copy: it offers to take its 課's answers in
    await (await s.find(tid("tab-department"))).click();
    h.answerPicks([join(out, bu)]);
    await (await s.waitFor(tid("open-department-workbook"))).click();
    await s.waitUntil(`document.querySelector('[data-testid="app"]')?.dataset.mode === "department"`, { message: "department mode" });
    await (await s.find(tid("tab-department"))).click();
    const gather = await s.waitFor(tid("gather"));
    assert.match(await textOf(gather), /防災安全課/);
    assert.match(await textOf(gather), /人事課/);
    // the 部 edits its 課's project itself first: the 課's answer will overlap it
    await (await s.find(tid("tab-plan"))).click();
    await openProject(s, PROJECT);
    const summary = await s.waitFor(tid("field-summary"));
    assert.equal(await s.exec(`return arguments[0].disabled;`, summary.ref), false, "a 部 edits its 課's projects");
    const t0 = Date.now();
    await summary.click();
    await s.exec("arguments[0].select();", summary.ref);
    await summary.type("総務部が直した概要" + Keys.TAB);
    await s.waitUntil(`Number(document.body.dataset.lastSave || 0) > ${t0}`, { message: "saved" });
    await (await s.find(tid("tab-department"))).click();
    h.answerPicks([kaAnswer]);
    await (await s.find(tid("gather-add"))).click();
    const preview = await s.waitFor(`${tid("gather")} ${tid("merge-report")}`, { timeout: 30_000 });
    assert.match(await textOf(preview), /まだ変更していません/);
    assert.match(await textOf(preview), new RegExp(NEW_SUMMARY.slice(0, 10)));
    await (await s.find(tid("gather-apply"))).click();
    await s.waitUntil(`/課の回答を取り込みました/.test(document.querySelector('.notices')?.textContent ?? "")`, { message: "taken in" });
    // the overlap is the 部's to decide: its own text kept until it takes the 課's
    const conflict = await s.waitFor(`${tid("gather-conflicts")} ${tid("conflict")}`);
    assert.match(await textOf(conflict), /総務部が直した概要/);
    await (await conflict.find(tid("take-theirs"))).click();
    await s.waitUntil(`!document.querySelector('[data-testid="gather-conflicts"]')`, { message: "resolved" });
    // the working copy has the 課's text; the change is listed before writing
    await s.waitUntil(`[...document.querySelectorAll('[data-testid="department-change"]')].some((r) => r.textContent.includes(${JSON.stringify(NEW_SUMMARY)}))`, { message: "listed as a change" });
    await (await s.find(tid("tab-plan"))).click();
    await openProject(s, PROJECT);
    await s.waitUntil(`document.querySelector('[data-testid="field-summary"]').value === ${JSON.stringify(NEW_SUMMARY)}`, { message: "in the working copy" });
    // the dashboard counts the 部's projects only, and says so
    await (await s.find(tid("tab-dashboard"))).click();
    await (await s.waitFor(tid("dash-progress"))).click();
    assert.match(await textOf(await s.waitFor(tid("progress-heading"))), /総務部の事業の進捗状況/);

    // 総務部 writes its one answer
    await (await s.find(tid("tab-department"))).click();
    await (await s.waitFor(tid("cover-respondent"))).type("総務部 次長 中村");
    const buAnswer = join(h.tmp, "総務部_回答.xlsx");
    h.answerPicks([buAnswer]);
    await (await s.find(tid("write-submission"))).click();
    await s.waitFor(tid("submission-written"));
    await (await s.find(tid("leave-department"))).click();
    await s.waitUntil(`document.querySelector('[data-testid="app"]')?.dataset.mode === "office"`, { message: "back to the office" });

    // the office merges 総務部's answer: the 課's text arrives, through the 部
    await (await s.find(tid("tab-merge"))).click();
    h.answerPicks([buAnswer]);
    await (await s.waitFor(tid("merge-add"))).click();
    const applied = await s.waitFor(tid("merge-applied"), { timeout: 30_000 });
    assert.match(await textOf(applied), new RegExp(NEW_SUMMARY.slice(0, 10)));
    await (await s.find(tid("merge-apply"))).click();
    await s.waitFor(tid("submission"));
    assert.match(await textOf(await s.find(tid("submission"))), /総務部/);
    // history: 課 → 部 → 事務局
    await (await s.find(tid("tab-plan"))).click();
    await openProject(s, PROJECT);
    await s.waitUntil(`document.querySelector('[data-testid="field-summary"]').value === ${JSON.stringify(NEW_SUMMARY)}`, { message: "in the plan" });
    await (await s.find(tid("tab-history"))).click();
    await (await s.waitFor(tid("history-project"))).click();
    await s.waitUntil(`[...document.querySelectorAll('[data-testid="history-who"]')].some((w) => w.textContent.includes("防災安全課 → 総務部 → 事務局"))`, { timeout: 15_000, message: "the chain in the history" });
    await h.close();
  }),
);
