// Screenshots of every screen for docs/screenshots/ (the real app under Xvfb, Noto Sans CJK JP),
// at 1366×697: a maximised window on a 1366×768 laptop screen, the usual municipal PC.
// Run: DXPLAN_APP=target/desktop/dxplan-app node tests/e2e/screenshots.mjs
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Harness, ROOT } from "./harness.mjs";
import { Keys, sleep } from "./webdriver.mjs";

const OUT = join(ROOT, "docs", "screenshots");
mkdirSync(OUT, { recursive: true });
for (const f of readdirSync(OUT)) if (f.endsWith(".png")) rmSync(join(OUT, f));
const tid = (id) => `[data-testid="${id}"]`;
const W = 1366;
const H = 697;

const h = await Harness.start();
let n = 0;
const shot = async (s, name) => {
  await sleep(400);
  const file = `${String(++n).padStart(2, "0")}-${name}.png`;
  writeFileSync(join(OUT, file), await s.screenshot());
  console.log("wrote", file);
};
const size = async (s) => {
  await s.cmd("POST", "/window/rect", { x: 0, y: 0, width: W, height: H });
  await s.waitUntil(`window.innerWidth === ${W} && window.innerHeight === ${H}`, { message: `viewport ${W}×${H}` });
};
const scrollTo = (s, css) => s.exec(`document.querySelector(${JSON.stringify(css)}).scrollIntoView({ block: "start" });`);
const choose = (s, testid, text) =>
  s.exec(
    `const s = document.querySelector('[data-testid="${testid}"]'); const o = [...s.options].find((o) => o.text.startsWith(arguments[0]));
     s.value = o.value; s.dispatchEvent(new Event("change", { bubbles: true }));`,
    text,
  );
const project = async (s, code) => {
  await (await s.waitFor(`[data-testid="tree-project"][data-code="${code}"]`)).click();
  await s.waitUntil(`document.querySelector('[data-testid="editor-code"]')?.textContent === ${JSON.stringify(code)}`);
};
const typeInto = async (s, id, text) => {
  const el = await s.waitFor(tid(id));
  // below the fold on a 697-pixel-high window: bring it up before clicking
  await s.exec("arguments[0].scrollIntoView({ block: 'center' });", el.ref);
  await el.click();
  await s.exec("arguments[0].select();", el.ref);
  await el.type(text);
};

try {
  // first start
  let s = await h.launch({ sample: false });
  await size(s);
  await s.waitFor(tid("welcome"));
  await shot(s, "first-start");
  await (await s.find(tid("role-office"))).click();
  await s.waitFor(tid("welcome-new"));
  await shot(s, "first-start-office");
  await (await s.find(tid("welcome-new"))).click();
  await (await s.waitFor(tid("new-plan-title"))).type("○○市DX推進計画");
  await (await s.find(tid("new-plan-city"))).type("○○市");
  await (await s.find(tid("new-plan-period"))).type("令和6年度～令和9年度");
  await (await s.find(tid("new-plan-path"))).type(join(h.tmp, "○○市DX推進計画.dxplan"));
  await shot(s, "new-plan");
  await s.exec(`document.querySelector('[data-testid="new-plan"] .actions button').click();`);
  await (await s.find(tid("welcome-sample"))).click();
  await s.waitUntil(`document.body.dataset.ready === "1" && !!document.querySelector('[data-testid="app"]')`);

  // the plan and the project sheet
  await project(s, "Ⅰ-1-①");
  const kpi = await s.waitFor(`[data-testid^="indicator-"][data-kind="KPI"]`);
  const idx = (await kpi.attr("data-testid")).split("-")[1];
  await typeInto(s, `ind-${idx}-2022-actual`, "45 手続" + Keys.ENTER);
  await s.waitUntil(`!!document.body.dataset.lastSave`);
  await shot(s, "plan-tree-and-sheet");
  await scrollTo(s, "#sec-budget");
  await shot(s, "sheet-budget-progress");
  await scrollTo(s, "#sec-schedule");
  await shot(s, "sheet-schedule");
  await scrollTo(s, "#sec-owners");
  await shot(s, "sheet-owners-office-fields");
  // a refused value, marked in its cell
  await scrollTo(s, "#sec-budget");
  await typeInto(s, "budget-2024", "約5千" + Keys.ENTER);
  await s.waitFor(tid("cell-refusal"));
  await shot(s, "sheet-refused-value");
  await (await s.find(tid("budget-2024"))).type(Keys.ESCAPE);
  // typing: the unsaved marker
  await typeInto(s, "field-purpose", "入力中の目的");
  await s.waitFor(tid("unsaved"));
  await shot(s, "sheet-typing-unsaved");
  await (await s.find(tid("field-purpose"))).type(Keys.ESCAPE);
  await (await s.find(tid("tree-search"))).type("オンライン");
  await shot(s, "plan-tree-search");
  await s.exec(`const i = document.querySelector('[data-testid="tree-search"]'); i.value = ""; i.dispatchEvent(new Event("input", { bubbles: true }));`);
  // the 計画 menu
  await (await s.find(tid("plan-menu"))).click();
  await s.waitFor(tid("plan-menu-list"));
  await shot(s, "plan-menu");
  await (await s.find(tid("plan-menu"))).click();

  // 点検
  await project(s, "Ⅰ-1-②");
  await typeInto(s, "general-2024", "999,999" + Keys.ENTER);
  await sleep(300);
  await (await s.find(tid("tab-checks"))).click();
  await s.waitFor(tid("check"));
  await shot(s, "checks");

  // dashboard
  await (await s.find(tid("tab-dashboard"))).click();
  await s.waitFor(tid("budget-grand-total"));
  await shot(s, "dashboard-budget");
  await (await s.find(tid("dash-kpi"))).click();
  await s.waitFor(tid("kpi-table"));
  await choose(s, "kpi-policy", "Ⅰ");
  await sleep(200);
  await shot(s, "dashboard-kpi");
  await (await s.find(tid("dash-roadmap"))).click();
  await s.waitFor(tid("roadmap"));
  await shot(s, "dashboard-roadmap");

  // history
  await (await s.find(tid("tab-history"))).click();
  await (await s.waitFor(tid("history-plan"))).click();
  await s.waitFor(tid("history-row"));
  await shot(s, "history");

  // import: old → new, an unknown label mapped
  await (await s.find(tid("tab-import"))).click();
  h.answerPicks([join(ROOT, "tests/e2e/fixtures/onojo_update.xlsx")]);
  await (await s.waitFor(tid("import-pick"))).click();
  await s.waitFor(`${tid("import-files")} li`);
  await shot(s, "import-pick");
  await (await s.find(tid("import-preview"))).click();
  await s.waitFor(tid("import-project"));
  await s.exec(`const sel = document.querySelector('[data-testid="map-field"]'); sel.value = "summary"; sel.dispatchEvent(new Event("change", { bubbles: true }));`);
  await s.waitFor(`[data-testid="import-field"][data-field="texts.summary"]`);
  await (await (await s.find(`[data-testid="import-field"][data-field="budget/2025/planned"]`)).find(tid("accept-field"))).click();
  await s.waitUntil(`document.querySelector('[data-testid="import-field"][data-field="budget/2025/planned"]')?.dataset.applied === "true"`);
  await shot(s, "import-old-new");
  await scrollTo(s, tid("import-labels"));
  await shot(s, "import-unknown-label");
  await (await s.find(tid("import-confirm"))).click();
  await s.waitFor(tid("import-done"));
  await shot(s, "import-done");
  await (await s.find(tid("import-again"))).click();
  await s.waitFor(tid("import-record"));
  await shot(s, "import-list");

  // backups
  await (await s.find(tid("plan-menu"))).click();
  await (await s.waitFor(tid("menu-backups"))).click();
  await s.waitFor(tid("backup"));
  await shot(s, "backups");
  await s.exec(`document.querySelector('[data-testid="backups"] .actions button').click();`);

  // export, then a department's answer with a conflict
  await (await s.find(tid("tab-export"))).click();
  await s.waitUntil(`document.querySelector('[data-testid="export-department"]')?.options.length > 0`);
  await choose(s, "export-department", "情報政策課");
  const dept = join(h.tmp, "dept.xlsx");
  h.answerPicks([dept]);
  await (await s.find(tid("export-department-go"))).click();
  await s.waitFor(tid("export-result"));
  await shot(s, "export");
  const sub = join(h.tmp, "dept_回答.xlsx");
  execFileSync("python3", [join(ROOT, "tests/e2e/xlsx_edit.py"), dept, sub, "--sheet-with", "オンライン申請の拡充", "--label", "概要", "--value", "子育て・水道の手続から順にオンライン化します（課の修正）"]);
  await (await s.find(tid("tab-plan"))).click();
  await project(s, "Ⅰ-1-①");
  await typeInto(s, "field-summary", "行政手続全般のオンライン化を進めます（事務局の修正）" + Keys.TAB);
  await sleep(500);
  await (await s.find(tid("tab-merge"))).click();
  h.answerPicks([sub]);
  await (await s.waitFor(tid("merge-add"))).click();
  await s.waitFor(tid("merge-conflict"));
  await shot(s, "merge-preview");
  await (await s.find(tid("merge-apply"))).click();
  await s.waitFor(tid("conflict"));
  await scrollTo(s, tid("conflicts"));
  await shot(s, "merge-conflicts");
  await scrollTo(s, tid("submissions"));
  await (await s.find(tid("undo-merge"))).click();
  await s.waitFor(tid("ask"));
  await shot(s, "merge-undo-asked");
  await (await s.find(tid("ask-cancel"))).click();

  // 課モード
  await (await s.find(tid("tab-department"))).click();
  h.answerPicks([dept]);
  await (await s.waitFor(tid("open-department-workbook"))).click();
  await s.waitUntil(`document.querySelector('[data-testid="app"]')?.dataset.mode === "department"`);
  await sleep(500);
  await shot(s, "department-mode");
  await project(s, "Ⅰ-1-①");
  await sleep(300);
  await typeInto(s, "budget-2025", "7,777" + Keys.ENTER);
  await sleep(400);
  await (await s.find(tid("tab-department"))).click();
  await s.waitFor(tid("department-change"));
  await (await s.find(tid("cover-respondent"))).type("情報政策課 山田 太郎");
  await (await s.find(tid("cover-contact"))).type("内線1234");
  await (await s.find(tid("cover-remarks"))).type("2025年度の事業費は見込みです。");
  await shot(s, "department-answer");
  await (await s.find(tid("tab-dashboard"))).click();
  await s.waitFor(tid("budget-heading"));
  await shot(s, "department-dashboard");
  await h.close();
} finally {
  await h.stop();
}
