// Screenshots at 1366×697 of the dashboard's 進捗状況, projects marked for a move in the tree,
// and a 部's working copy taking its 課's answers in (docs/screenshots/dashboard-progress,
// outline-move-projects, bu-review-gather): the real app under Xvfb on the sample plan.
// Run: DXPLAN_APP=target/desktop/dxplan-app node tests/e2e/screenshots-outline.mjs
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { Harness, ROOT, docShot, tid, typeInto } from "./harness.mjs";
import { sleep } from "./webdriver.mjs";

const OUT = join(ROOT, "docs", "screenshots");
mkdirSync(OUT, { recursive: true });

const h = await Harness.start();
const shot = (s, name) => docShot(s, OUT, name, [".page", ".editor-scroll"]);
async function setStatus(s, code, fy, text) {
  await (await s.waitFor(`[data-testid="tree-project"][data-code="${code}"]`)).click();
  await s.waitUntil(`document.querySelector('[data-testid="editor-code"]')?.textContent === ${JSON.stringify(code)}`);
  await s.exec(`document.querySelector('[data-field="progress/${fy}"]').open = true;`);
  const t0 = Date.now();
  await typeInto(await s.waitFor(`[data-field="progress/${fy}"] [aria-label$="進捗状況"]`), text);
  await s.waitUntil(`Number(document.body.dataset.lastSave || 0) > ${t0}`);
}

try {
  const s = await h.launch();
  await s.cmd("POST", "/window/rect", { width: 1366, height: 697 });
  await sleep(500);

  // 進捗状況: a few statuses of 2024 typed in, then the dashboard
  for (const [code, st] of [["Ⅰ-1-①", "遅れ"], ["Ⅰ-1-②", "順調"], ["Ⅰ-1-③", "概ね順調"], ["Ⅰ-2-①", "完了"], ["Ⅰ-3-①", "順調"]]) await setStatus(s, code, 2024, st);
  await (await s.find(tid("tab-dashboard"))).click();
  await (await s.waitFor(tid("dash-progress"))).click();
  await s.waitFor(tid("progress-table"));
  await s.exec(`const el = document.querySelector('[data-testid="progress-fy"]'); el.value = "2024"; el.dispatchEvent(new Event("change", { bubbles: true }));`);
  await shot(s, "dashboard-progress");

  // two projects marked with Ctrl+click, the move asked
  await (await s.find(tid("tab-plan"))).click();
  await (await s.waitFor(`[data-testid="tree-project"][data-code="Ⅰ-3-①"]`)).click();
  await s.exec(`document.querySelector('[data-testid="tree-project"][data-code="Ⅰ-3-③"]').dispatchEvent(new MouseEvent("click", { bubbles: true, ctrlKey: true }));`);
  await s.waitFor(tid("marked-bar"));
  await (await s.find(tid("move-projects"))).click();
  await s.waitFor(tid("ask-choice"));
  await shot(s, "outline-move-projects");
  await (await s.find(tid("ask-cancel"))).click();

  // a round where 総務部 gathers its 課; 防災安全課's answer; 総務部's working copy takes it in
  await (await s.find(tid("tab-rounds"))).click();
  await s.waitFor(tid("round-start"));
  await s.waitUntil(`!!document.querySelector('[data-testid="round-reviewer"][data-name="総務部"]')`);
  await (await s.find(`[data-testid="round-reviewer"][data-name="総務部"]`)).click();
  await typeInto(await s.find(tid("round-deadline")), "2099年3月31日");
  const out = join(h.tmp, "照会");
  h.answerPicks([out]);
  await (await s.find(tid("round-pick-dir"))).click();
  await s.waitUntil(`!!document.querySelector('[data-testid="round-dir"]').value`);
  await (await s.find(tid("round-start-go"))).click();
  await s.waitFor(tid("round-dept-row"), { timeout: 60_000 });
  const files = readdirSync(out);
  const bu = join(out, files.find((f) => f.endsWith("_総務部.xlsx")));
  const ka = join(out, files.find((f) => f.endsWith("_防災安全課.xlsx")));
  const answer = join(h.tmp, "防災安全課_回答.xlsx");
  execFileSync("python3", [join(ROOT, "tests/e2e/xlsx_edit.py"), ka, answer, "--sheet-with", "避難所運営の円滑化と情報共有の多重化", "--label", "概要", "--value", "避難所の受付と物資の情報を共有システムで一元化し、停電時も衛星回線で連絡できるようにします。"]);
  await (await s.find(tid("tab-department"))).click();
  h.answerPicks([bu]);
  await (await s.waitFor(tid("open-department-workbook"))).click();
  await s.waitUntil(`document.querySelector('[data-testid="app"]')?.dataset.mode === "department"`);
  await (await s.find(tid("tab-department"))).click();
  await s.waitFor(tid("gather"));
  h.answerPicks([answer]);
  await (await s.find(tid("gather-add"))).click();
  await s.waitFor(`${tid("gather")} ${tid("merge-report")}`, { timeout: 30_000 });
  await shot(s, "bu-review-gather");
} finally {
  await h.stop();
}
