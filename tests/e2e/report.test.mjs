// End-to-end test of the 報告書 screen in the real app (issue 17): the sample plan's committee
// report typeset in the app, its pages previewed as images, the PDF saved through the save
// dialog (read back with pdftotext), another year and one department's report, and 印刷 with
// every page laid out for the print dialog.
import assert from "node:assert/strict";
import { test } from "node:test";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { withScreenshot, useHarness, tid } from "./harness.mjs";

let h;
useHarness((started) => (h = started));

/** Typesetting in a debug build of the app (dependencies unoptimised) takes seconds. */
const SLOW = 180_000;

/** Nothing on the visible screen scrolls sideways. */
async function assertNoSideScroll(s, where) {
  const over = await s.exec(`return [document.documentElement, ...document.querySelectorAll('.screen:not(.inactive) .page, .screen:not(.inactive) .report-pages, .screen:not(.inactive) .report-side')]
    .filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => (e.className || e.tagName) + " " + e.scrollWidth + ">" + e.clientWidth);`);
  assert.deepEqual(over, [], `${where}: horizontal scroll at 1366×697`);
}

/** Waits until a report is typeset and shown; returns its page count. */
async function reportReady(s, message) {
  await s.waitUntil(`!document.querySelector('[data-testid="report-progress"]') && !!document.querySelector('[data-testid="report-summary"]')`, { timeout: SLOW, message });
  return Number(await s.exec(`return document.querySelector('[data-testid="report-summary"] [data-testid="report-page-count"]').textContent;`));
}

function pdfText(file) {
  return execFileSync("pdftotext", ["-layout", file, "-"]).toString();
}

test(
  "報告書: the sample's report is previewed page by page, saved as a PDF with its totals and titles, made for another year and one department, and printed",
  withScreenshot(() => h, "report", async () => {
    h.reset();
    const s = await h.launch();
    await s.cmd("POST", "/window/rect", { width: 1366, height: 697 });
    const planTitle = await (await s.find(tid("plan-title"))).text();
    await (await s.find(tid("tab-report"))).click();

    // typeset on opening: progress first, then the pages; the first pages shown as images
    const pages = await reportReady(s, "the sample's report");
    assert.ok(pages >= 30, `pages: ${pages}`);
    assert.equal((await s.findAll(tid("report-page"))).length, pages);
    await s.waitUntil(
      `[...document.querySelectorAll('[data-testid="report-page"][data-loaded="1"] img')].some((i) => i.complete && i.naturalWidth > 0)`,
      { timeout: 60_000, message: "the first page as an image" },
    );
    const cover = await s.exec(`const i = document.querySelector('[data-testid="report-page"][data-index="0"] img'); return i && [i.naturalWidth, i.naturalHeight, i.getBoundingClientRect().width];`);
    assert.ok(cover, "the cover is shown");
    assert.ok(Math.abs(cover[1] / cover[0] - 297 / 210) < 0.01, `A4 portrait: ${cover}`);
    assert.ok(cover[2] > 500, `shown large: ${cover}`);
    // not every page is fetched at once: the ones out of view wait
    const loaded = await s.exec(`return document.querySelectorAll('[data-testid="report-page"][data-loaded="1"]').length;`);
    assert.ok(loaded < pages, `${loaded} of ${pages} fetched before scrolling`);
    // the year with 和暦, the current plan, all departments
    const fy = await s.exec(`const e = document.querySelector('[data-testid="report-fy"]'); return [e.value, e.selectedOptions[0].textContent, e.options.length];`);
    assert.match(fy[1], /^\d{4}年度（令和\d+年度）$/);
    assert.equal(fy[2], 4, "the sample's four years");
    assert.match(await (await s.find(tid("report-summary"))).text(), /全庁（事業 30 件）/);
    await assertNoSideScroll(s, "report");

    // the thumbnails: every page in a grid, a click opens it large
    await (await s.find(tid("report-layout-grid"))).click();
    await s.waitUntil(`document.querySelectorAll('[data-testid="report-page"][data-loaded="1"]').length >= 8`, { timeout: 60_000, message: "thumbnails" });
    await assertNoSideScroll(s, "report thumbnails");
    await (await s.find(`[data-testid="report-page"][data-index="5"]`)).click();
    await s.waitUntil(`document.querySelector('[data-testid="report-pages"]').classList.contains('pages') && document.querySelector('[data-testid="report-page"][data-index="5"][data-loaded="1"]')`, { timeout: 60_000, message: "page 6 large" });

    // 「PDFを保存」 through the save dialog
    const out = join(h.tmp, "報告書.pdf");
    h.answerPicks([out]);
    await (await s.find(tid("report-save"))).click();
    await s.waitUntil(`[...document.querySelectorAll('.notice')].some((n) => n.textContent.includes('報告書を保存しました'))`, { timeout: SLOW, message: "saved" });
    assert.ok(existsSync(out), "the PDF is written");
    assert.equal(readFileSync(out).subarray(0, 5).toString(), "%PDF-");
    const info = execFileSync("pdfinfo", [out]).toString();
    assert.match(info, new RegExp(`Pages:\\s+${pages}\\b`));
    const text = pdfText(out);
    assert.ok(text.includes("1,240,400"), "the sample's total (the dashboard's)");
    assert.ok(text.includes(planTitle), `the plan's title ${planTitle}`);
    assert.ok(text.includes("オンライン申請の拡充"), "a project's title");
    assert.ok(text.includes(fy[1]), `the report year ${fy[1]}`);

    // another year: typeset again, said on the cover
    const other = await s.exec(`const e = document.querySelector('[data-testid="report-fy"]'); return [...e.options].map((o) => [o.value, o.textContent]).find((o) => o[0] !== e.value);`);
    await s.exec(`const e = document.querySelector('[data-testid="report-fy"]'); e.value = arguments[0]; e.dispatchEvent(new Event('change', { bubbles: true }));`, other[0]);
    await s.waitUntil(`document.querySelector('[data-testid="report-summary"]')?.textContent.includes(${JSON.stringify(other[1])})`, { timeout: SLOW, message: `the report of ${other[1]}` });

    // one department: fewer projects, fewer pages
    await s.exec(`const e = document.querySelector('[data-testid="report-department"]'); e.value = "情報政策課"; e.dispatchEvent(new Event('change', { bubbles: true }));`);
    await s.waitUntil(`document.querySelector('[data-testid="report-summary"]')?.textContent.includes('情報政策課（事業 ')`, { timeout: SLOW, message: "情報政策課's report" });
    const deptPages = await reportReady(s, "情報政策課's report");
    assert.ok(deptPages < pages, `${deptPages} < ${pages}`);
    assert.match(await (await s.find(tid("report-summary"))).text(), /情報政策課（事業 [1-9]\d* 件）/);

    // 印刷: every page laid out in the print-only block, then the webview's print dialog; the test
    // takes window.print's place and looks at the page as it prints (the print style sheet applied)
    await s.exec(`
      window.__printed = [];
      window.print = () => {
        const rules = [...document.styleSheets].flatMap((sh) => [...sh.cssRules]).filter((r) => r instanceof CSSMediaRule && r.media.mediaText === "print");
        rules.forEach((r) => (r.media.mediaText = "all"));
        const shown = (el) => !!el && getComputedStyle(el).display !== "none" && el.getClientRects().length > 0;
        const imgs = [...document.querySelectorAll(".report-print img")];
        window.__printed.push({
          ui: shown(document.querySelector(".report-ui")), tabs: shown(document.querySelector(".tabs")),
          pages: imgs.filter((i) => shown(i) && i.complete && i.naturalWidth > 0).length,
          breaks: imgs.slice(0, -1).every((i) => ["page", "always"].includes(getComputedStyle(i).breakAfter) || getComputedStyle(i).pageBreakAfter === "always"),
        });
        rules.forEach((r) => (r.media.mediaText = "print"));
      };`);
    await (await s.find(tid("report-print"))).click();
    await s.waitUntil(`window.__printed.length === 1`, { timeout: SLOW, message: "print started" });
    const [printed] = await s.exec(`return window.__printed;`);
    assert.equal(printed.ui, false, "no options or preview on paper");
    assert.equal(printed.tabs, false, "no tabs on paper");
    assert.equal(printed.pages, deptPages, "every page printed as an image");
    assert.equal(printed.breaks, true, "one page per sheet");
    await h.close();
  }),
);
