// Screenshots of the 報告書 screen at 1366×697 (a municipal laptop) for docs/screenshots/
// (report-pages, report-grid): the real app under Xvfb on the sample plan.
// Run: DXPLAN_APP=target/desktop/dxplan-app node tests/e2e/screenshots-report.mjs
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { Harness, ROOT, docShot, tid } from "./harness.mjs";
import { sleep } from "./webdriver.mjs";

const OUT = join(ROOT, "docs", "screenshots");
mkdirSync(OUT, { recursive: true });

const h = await Harness.start();
const shot = (s, name) => docShot(s, OUT, name, [".page", ".report-pages", ".report-side"]);

try {
  const s = await h.launch();
  await s.cmd("POST", "/window/rect", { width: 1366, height: 697 });
  const t0 = Date.now();
  await (await s.find(tid("tab-report"))).click();
  await s.waitUntil(`!!document.querySelector('[data-testid="report-summary"]')`, { timeout: 300_000, message: "report" });
  await s.waitUntil(`!!document.querySelector('[data-testid="report-page"][data-index="0"][data-loaded="1"]')`, { timeout: 60_000, message: "cover" });
  console.log(`report shown ${Date.now() - t0} ms after the click: ${await (await s.find(tid("report-summary"))).text()}`);
  await shot(s, "report-pages");
  await (await s.find(tid("report-layout-grid"))).click();
  await s.waitUntil(`document.querySelectorAll('[data-testid="report-page"][data-loaded="1"]').length >= 14`, { timeout: 60_000, message: "thumbnails" });
  await sleep(1500);
  await shot(s, "report-grid");
} finally {
  await h.stop();
}
