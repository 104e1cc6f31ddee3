// Screenshots of every screen for docs/screenshots/ (the real app under Xvfb, Noto Sans CJK JP).
// Run: DXPLAN_APP=target/desktop/dxplan-app node tests/e2e/screenshots.mjs
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Harness, ROOT } from "./harness.mjs";
import { Keys, sleep } from "./webdriver.mjs";

const OUT = join(ROOT, "docs", "screenshots");
mkdirSync(OUT, { recursive: true });
const tid = (id) => `[data-testid="${id}"]`;

const h = await Harness.start();
const shot = async (s, name) => {
  await sleep(400);
  writeFileSync(join(OUT, `${name}.png`), await s.screenshot());
  console.log("wrote", name);
};
const scrollTo = (s, css) => s.exec(`document.querySelector(${JSON.stringify(css)}).scrollIntoView({ block: "start" });`);
const choose = (s, testid, text) =>
  s.exec(
    `const s = document.querySelector('[data-testid="${testid}"]'); const o = [...s.options].find((o) => o.text.startsWith(arguments[0]));
     s.value = o.value; s.dispatchEvent(new Event("change", { bubbles: true }));`,
    text,
  );

try {
  const s = await h.launch();
  await (await s.waitFor(`[data-testid="tree-project"][data-code="Ⅰ-1-①"]`)).click();
  await s.waitFor(tid("editor"));
  // a KPI actual, so the grid shows both rows
  const kpi = await s.waitFor(`[data-testid^="indicator-"][data-kind="KPI"]`);
  const idx = (await kpi.attr("data-testid")).split("-")[1];
  const cell = await s.find(`[data-testid="ind-${idx}-2022-actual"]`);
  await cell.click();
  await cell.type("45 手続" + Keys.ENTER);
  await s.waitUntil(`!!document.body.dataset.lastSave`);
  await shot(s, "01-plan-tree-and-sheet");
  await scrollTo(s, `[data-testid^="indicator-"]`);
  await shot(s, "02-sheet-indicators");
  await scrollTo(s, tid("schedule"));
  await shot(s, "03-sheet-schedule-budget");
  // filters: 重点 + search
  await (await s.find(tid("tree-search"))).type("オンライン");
  await shot(s, "04-plan-tree-search");
  await s.exec(`const i = document.querySelector('[data-testid="tree-search"]'); i.value = ""; i.dispatchEvent(new Event("input", { bubbles: true }));`);

  await (await s.find(tid("tab-dashboard"))).click();
  await s.waitFor(tid("budget-grand-total"));
  await shot(s, "05-dashboard-budget");
  await (await s.find(tid("dash-kpi"))).click();
  await s.waitFor(tid("kpi-table"));
  await shot(s, "06-dashboard-kpi");
  await (await s.find(tid("dash-roadmap"))).click();
  await s.waitFor(tid("roadmap"));
  await shot(s, "07-dashboard-roadmap");

  await (await s.find(tid("tab-history"))).click();
  await s.waitFor(tid("history-row"));
  await shot(s, "08-history");

  await (await s.find(tid("tab-import"))).click();
  h.answerPicks([join(ROOT, "tests/e2e/fixtures/onojo_new_project.xlsx")]);
  await (await s.waitFor(tid("import-pick"))).click();
  await s.waitFor(`${tid("import-files")} li`);
  await (await s.find(tid("import-preview"))).click();
  await s.waitFor(tid("import-report"));
  await shot(s, "09-import-preview");

  await (await s.find(tid("tab-export"))).click();
  await s.waitUntil(`document.querySelector('[data-testid="export-department"]')?.options.length > 0`);
  await choose(s, "export-department", "情報政策課");
  const dept = join(h.tmp, "dept.xlsx");
  h.answerPicks([dept]);
  await (await s.find(tid("export-department-go"))).click();
  await s.waitFor(tid("export-result"));
  await shot(s, "10-export");

  const sub = join(h.tmp, "dept_回答.xlsx");
  execFileSync("python3", [join(ROOT, "tests/e2e/xlsx_edit.py"), dept, sub, "--sheet-with", "オンライン申請の拡充", "--label", "内容", "--value", "子育て・水道の手続から順にオンライン化します（課の修正）"]);
  await (await s.find(tid("tab-plan"))).click();
  const summary = await s.waitFor(tid("field-summary"));
  await summary.click();
  await s.exec("arguments[0].select();", summary.ref);
  await summary.type("行政手続全般のオンライン化を進めます（本庁の修正）" + Keys.TAB);
  await sleep(500);
  await (await s.find(tid("tab-merge"))).click();
  h.answerPicks([sub]);
  await (await s.waitFor(tid("merge-add"))).click();
  await s.waitFor(tid("merge-conflict"));
  await shot(s, "11-merge-preview");
  await (await s.find(tid("merge-apply"))).click();
  await s.waitFor(tid("conflict"));
  await scrollTo(s, tid("conflicts"));
  await shot(s, "12-merge-conflicts");

  await (await s.find(tid("tab-department"))).click();
  h.answerPicks([dept]);
  await (await s.waitFor(tid("open-department-workbook"))).click();
  await s.waitUntil(`document.querySelector('[data-testid="app"]')?.dataset.mode === "department"`);
  await sleep(500);
  await shot(s, "13-department-mode");
  await (await s.find(tid("tab-department"))).click();
  await shot(s, "14-department-submit");
} finally {
  await h.stop();
}
