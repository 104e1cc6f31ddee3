// Screenshots of the 照会, 版 and 新旧対照表 screens at 1366×697 (a municipal laptop) for
// docs/screenshots/ (round-*, versions-*, compare-*): the real app under Xvfb on the sample plan.
// Run: DXPLAN_APP=target/desktop/dxplan-app node tests/e2e/screenshots-cycle.mjs
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { Harness, ROOT, docShot, tid, typeInto } from "./harness.mjs";
import { sleep } from "./webdriver.mjs";

const OUT = join(ROOT, "docs", "screenshots");
mkdirSync(OUT, { recursive: true });

const h = await Harness.start();
const shot = (s, name) => docShot(s, OUT, name, [".page", ".editor-scroll", ".version-view"]);
const scrollTo = (s, css) => s.exec(`document.querySelector(${JSON.stringify(css)}).scrollIntoView({ block: "start" });`);
const edit = (src, dst, sheetWith, label, value) =>
  execFileSync("python3", [join(ROOT, "tests/e2e/xlsx_edit.py"), src, dst, "--sheet-with", sheetWith, "--label", label, "--value", value]);
const jstDay = (days) => new Date(Date.now() + 9 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);

try {
  const s = await h.launch();
  await s.cmd("POST", "/window/rect", { width: 1366, height: 697 });
  await sleep(500);
  const size = await s.exec(`return [window.innerWidth, window.innerHeight];`);
  console.log("viewport", size.join("×"));

  // 照会: the start form
  await (await s.find(tid("tab-rounds"))).click();
  await s.waitFor(tid("round-start"));
  await s.waitUntil(`document.querySelectorAll('[data-testid="round-dept"]').length > 0`);
  const due = jstDay(-3).split("-").map(Number);
  await typeInto(await s.find(tid("round-deadline")), `${due[0]}年${due[1]}月${due[2]}日`);
  const out = join(h.tmp, "令和7年度第1回照会");
  h.answerPicks([out]);
  await (await s.find(tid("round-pick-dir"))).click();
  await s.waitUntil(`!!document.querySelector('[data-testid="round-dir"]').value`);
  await shot(s, "round-start");
  await (await s.find(tid("round-start-go"))).click();
  await s.waitFor(tid("round-dept-row"), { timeout: 60_000 });

  // two answers: 情報政策課 (a text and the cover) and 市民課 (a text)
  const files = readdirSync(out);
  const answers = join(h.tmp, "回答");
  mkdirSync(answers, { recursive: true });
  const t1 = join(h.tmp, "t1.xlsx");
  const t2 = join(h.tmp, "t2.xlsx");
  const t3 = join(h.tmp, "t3.xlsx");
  const jo = join(out, files.find((f) => f.includes("情報政策課")));
  edit(jo, t1, "オンライン申請の拡充", "概要", "子育て・水道の手続から順にオンライン化し、令和7年度に主要50手続を対象とします。");
  edit(t1, t2, "事務局への連絡事項", "記入者（所属・氏名）", "情報政策課 山田 太郎");
  edit(t2, t3, "事務局への連絡事項", "連絡先（内線・メール）", "内線 2345 / yamada@city.example.jp");
  edit(t3, join(answers, "情報政策課_回答.xlsx"), "事務局への連絡事項", "事務局への連絡事項", "目標値は課内で再確認済みです。");
  const shimin = files.find((f) => f.includes("市民課"));
  if (shimin) {
    const c1 = join(h.tmp, "c1.xlsx");
    edit(join(out, shimin), c1, "事務局への連絡事項", "記入者（所属・氏名）", "市民課 佐藤 花子");
    edit(c1, join(answers, "市民課_回答.xlsx"), "事務局への連絡事項", "連絡先（内線・メール）", "内線 1203");
  }
  h.answerPicks([answers]);
  await (await s.find(tid("round-scan"))).click();
  await s.waitFor(tid("round-folder-file"), { timeout: 60_000 });
  await shot(s, "round-folder");
  await (await s.find(tid("round-merge-all"))).click();
  await s.waitUntil(`document.querySelector('[data-testid="round-dept-row"][data-state="answered"]')`, { timeout: 60_000 });
  await scrollTo(s, tid("round-status"));
  await shot(s, "round-status");
  await scrollTo(s, tid("round-departments-status"));
  await shot(s, "round-departments");
  await scrollTo(s, tid("round-reminders"));
  const first = await s.waitFor(`[data-testid="remind-row"] button.preview`);
  await first.click();
  await sleep(300);
  await scrollTo(s, tid("round-reminders"));
  await shot(s, "round-reminders");

  // 版: record 第1.0版, change a budget and a text, compare
  await (await s.find(tid("tab-versions"))).click();
  await s.waitFor(tid("version-record"));
  await typeInto(await s.find(tid("version-label")), "第1.0版");
  await typeInto(await s.find(tid("version-date")), "令和4年8月1日");
  await typeInto(await s.find(tid("version-note")), "当初策定（推進本部決定）");
  await (await s.find(tid("version-record-go"))).click();
  await s.waitFor(`[data-testid="version-row"][data-label="第1.0版"]`);
  await (await s.find(tid("tab-plan"))).click();
  await (await s.waitFor(`[data-testid="tree-project"][data-code="Ⅰ-1-②"]`)).click();
  await s.waitUntil(`document.querySelector('[data-testid="editor-code"]')?.textContent === "Ⅰ-1-②"`);
  const t0 = Date.now();
  await typeInto(await s.waitFor(tid("budget-2024")), "24,000");
  await s.waitUntil(`Number(document.body.dataset.lastSave || 0) > ${t0}`);
  const kpi = await s.waitFor(`[data-testid^="indicator-"][data-kind="KPI"]`);
  const idx = (await kpi.attr("data-testid")).split("-")[1];
  const t1b = Date.now();
  await typeInto(await s.find(`[data-testid="ind-${idx}-2023-actual"]`), "58 件");
  await s.waitUntil(`Number(document.body.dataset.lastSave || 0) > ${t1b}`);
  await (await s.find(tid("tab-versions"))).click();
  await s.waitFor(tid("version-record"));
  await typeInto(await s.find(tid("version-label")), "第1.1版");
  await typeInto(await s.find(tid("version-date")), "2023年6月1日");
  await typeInto(await s.find(tid("version-note")), "令和4年度実績の反映、事業費の見直し");
  await (await s.find(tid("version-record-go"))).click();
  await s.waitFor(`[data-testid="version-row"][data-label="第1.1版"]`);
  await shot(s, "versions-list");

  await (await s.find(`[data-testid="version-row"][data-label="第1.0版"] [data-testid="version-open"]`)).click();
  await s.waitFor(tid("version-readonly-badge"));
  await (await s.waitFor(`${tid("version-view")} [data-testid="tree-project"][data-code="Ⅰ-1-②"]`)).click();
  await s.waitUntil(`document.querySelector('[data-testid="version-editor-code"]')?.textContent === "Ⅰ-1-②"`);
  await shot(s, "versions-readonly");
  await scrollTo(s, `${tid("version-editor")} [data-testid^="indicator-"]`);
  await shot(s, "versions-readonly-indicators");

  await (await s.find(tid("version-view-compare"))).click();
  await s.waitFor(tid("compare-item"), { timeout: 30_000 });
  await shot(s, "compare-budget");
  await scrollTo(s, tid("compare-items"));
  await shot(s, "compare-changes");
} finally {
  await h.stop();
}
