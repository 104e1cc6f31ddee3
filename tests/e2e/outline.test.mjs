// End-to-end tests of the office's outline and the sheet's view in the real app (issues 14, 15):
// projects per 状況 per 基本方針 on the dashboard, a 施策 moved to another 基本方針 and several
// projects moved at once (codes renumbered, history kept), zoom (Ctrl+± / Ctrl+wheel, kept after
// a restart) and 「印刷」 of a project sheet (the print view, A4).
import assert from "node:assert/strict";
import { test } from "node:test";
import { withScreenshot, useHarness, tid, textOf, typeInto } from "./harness.mjs";
import { Keys } from "./webdriver.mjs";

let h;
useHarness((started) => (h = started));

async function selectProject(s, code) {
  const row = await s.waitFor(`[data-testid="tree-project"][data-code="${code}"]`);
  await row.click();
  await s.waitUntil(`document.querySelector('[data-testid="editor-code"]')?.textContent === ${JSON.stringify(code)}`, { message: `editor shows ${code}` });
}

/** Real key presses (WebDriver actions): a chord such as Ctrl + "+". */
async function chord(s, ...keys) {
  const actions = [...keys.map((k) => ({ type: "keyDown", value: k })), ...[...keys].reverse().map((k) => ({ type: "keyUp", value: k }))];
  await s.cmd("POST", "/actions", { actions: [{ type: "key", id: "keyboard", actions }] });
  await s.cmd("DELETE", "/actions");
}

/** The dashboard's 進捗状況 counts of `fy`: { code: { status: n } } from the table. */
async function progressCounts(s, fy) {
  await s.exec(`const el = document.querySelector('[data-testid="progress-fy"]'); el.value = "${fy}"; el.dispatchEvent(new Event("change", { bubbles: true }));`);
  await s.waitUntil(`document.querySelector('[data-testid="progress-fy"]').value === "${fy}"`);
  return s.exec(`const out = {};
    for (const tr of document.querySelectorAll('[data-testid="progress-row"], [data-testid="progress-total"]')) {
      const key = tr.dataset.testid === "progress-total" ? "合計" : tr.querySelector("th").textContent.trim().split(" ")[0];
      out[key] = Object.fromEntries([...tr.querySelectorAll("td[data-status]")].map((td) => [td.dataset.status, Number(td.textContent)]));
    }
    return out;`);
}

test(
  "dashboard: projects per 状況 per 基本方針 for the chosen year, on the plan's scale, following an edit",
  withScreenshot(() => h, "dashboard-progress", async () => {
    h.reset();
    const s = await h.launch();
    await (await s.find(tid("tab-dashboard"))).click();
    await (await s.waitFor(tid("dash-progress"))).click();
    await s.waitFor(tid("progress-table"));
    const heads = await s.exec(`return [...document.querySelectorAll('[data-testid="progress-table"] thead th')].map((t) => t.textContent);`);
    assert.deepEqual(heads.slice(1, 6), ["順調", "概ね順調", "遅れ", "未着手", "完了"], "the default scale, in order");
    assert.match(await textOf(await s.find(tid("progress-heading"))), /基本方針別 進捗状況/);
    const before = await progressCounts(s, 2024);
    assert.ok(before["Ⅰ"] && before["Ⅱ"] && before["合計"], JSON.stringify(before));

    // Ⅰ-1-① is 遅れ in 2024 (typed in its sheet)
    await (await s.find(tid("tab-plan"))).click();
    await selectProject(s, "Ⅰ-1-①");
    await s.exec(`document.querySelector('[data-field="progress/2024"]').open = true;`);
    const status = await s.waitFor(`[data-field="progress/2024"] [aria-label="2024年度（令和6年度） 進捗状況"]`);
    const t0 = Date.now();
    await typeInto(status, "遅れ");
    await s.waitUntil(`Number(document.body.dataset.lastSave || 0) > ${t0}`, { message: "saved" });

    await (await s.find(tid("tab-dashboard"))).click();
    await (await s.waitFor(tid("dash-progress"))).click();
    await s.waitFor(tid("progress-table"));
    await s.waitUntil(`(() => { const el = document.querySelector('[data-testid="progress-fy"]'); el.value = "2024"; el.dispatchEvent(new Event("change", { bubbles: true })); return true; })()`);
    await s.waitUntil(
      `Number(document.querySelector('[data-testid="progress-total"] td[data-status="遅れ"]').textContent) === ${before["合計"]["遅れ"] + 1}`,
      { message: "the total counts one more 遅れ" },
    );
    const now = await progressCounts(s, 2024);
    assert.equal(now["Ⅰ"]["遅れ"], before["Ⅰ"]["遅れ"] + 1, "under Ⅰ");
    assert.equal(now["Ⅱ"]["遅れ"], before["Ⅱ"]["遅れ"], "Ⅱ unchanged");
    assert.ok(now["合計"]["未記入"] <= before["合計"]["未記入"], "no project lost its status");
    // the stacked bar of Ⅰ has a 遅れ part
    const bar = await s.exec(`return [...document.querySelectorAll('[data-testid="progress-row"]')][0].querySelector(".status-bar").getAttribute("aria-label");`);
    assert.match(bar, new RegExp(`遅れ ${now["Ⅰ"]["遅れ"]}`));
    // another year's counts are their own
    const y2022 = await progressCounts(s, 2022);
    assert.equal(typeof y2022["合計"]["遅れ"], "number");
    await h.close();
  }),
);

/** The plan tree as the app holds it (the list on screen is virtual: only visible rows exist). */
function planTree(s) {
  return s.execAsync(`const done = arguments[arguments.length - 1]; window.__TAURI_INTERNALS__.invoke("plan_tree").then(done, (e) => done({ error: String(e) }));`);
}

/** Codes and titles of the projects filed under a measure, in code order (the rows come packed,
 * one column per field, measure ids by index into `names`: TreeRows, ui/src/lib/tree.ts). */
function under(tree, measureId) {
  const r = tree.rows;
  return r.id
    .map((_, i) => i)
    .filter((i) => r.names[r.measures[i][0]] === measureId)
    .map((i) => [r.code[i], r.title[i]])
    .sort((a, b) => a[0].localeCompare(b[0]));
}

/** Picks an option of the dialog's choice by the start of its text. */
async function chooseIn(s, start) {
  await s.waitFor(tid("ask-choice"));
  await s.exec(`const el = document.querySelector('[data-testid="ask-choice"]'); el.value = [...el.options].find((o) => o.textContent.startsWith(${JSON.stringify(start)})).value; el.dispatchEvent(new Event("change", { bubbles: true }));`);
  await (await s.find(tid("ask-ok"))).click();
}

test(
  "outline: a 施策 moves to another 基本方針 and two projects move at once (Ctrl+click), renumbered, in the history",
  withScreenshot(() => h, "outline-moves", async () => {
    h.reset();
    const s = await h.launch();
    let t = await planTree(s);
    // the first 施策 of Ⅰ (Ⅰ-1) and its projects, to Ⅱ
    const m1 = t.measures.find((m) => m.code === "Ⅰ-1");
    const projects = under(t, m1.id).map((x) => x[1]);
    const nII = t.measures.filter((m) => m.code.startsWith("Ⅱ-")).length;
    const row = await s.waitFor(tid("tree-measure"));
    assert.equal(await s.exec(`return arguments[0].querySelector(".code").textContent;`, row.ref), "Ⅰ-1");
    await s.exec(`arguments[0].querySelector('[data-testid="move-measure"]').click();`, row.ref);
    const ask = await s.waitFor(tid("ask"));
    assert.match(await textOf(ask), new RegExp(`施策「${m1.title}」`));
    const choices = await s.exec(`return [...document.querySelectorAll('[data-testid="ask-choice"] option')].map((o) => o.textContent);`);
    assert.ok(choices.every((c) => !c.startsWith("Ⅰ ")), `its own policy is not offered: ${choices}`);
    await chooseIn(s, "Ⅱ ");
    await s.waitUntil(`/施策「.*」を移しました/.test(document.querySelector('.notices')?.textContent ?? "")`, { message: "moved" });
    t = await planTree(s);
    const moved = t.measures.find((m) => m.id === m1.id);
    assert.equal(moved.code, `Ⅱ-${nII + 1}`, "after the last 施策 of Ⅱ");
    const now = under(t, m1.id);
    assert.deepEqual(now.map((x) => x[1]), projects, "its projects went with it");
    assert.ok(now.every(([c]) => c.startsWith(`Ⅱ-${nII + 1}-`)), JSON.stringify(now));
    const iCodes = t.measures.filter((m) => m.code.startsWith("Ⅰ-")).map((m) => m.code).sort();
    assert.deepEqual(iCodes, iCodes.map((_, i) => `Ⅰ-${i + 1}`), "Ⅰ's 施策 renumbered from 1");
    // the tree on screen follows
    await s.waitUntil(`![...document.querySelectorAll('[data-testid="tree-measure"] .title')].some((x) => x.textContent === ${JSON.stringify(m1.title)} && x.parentElement.querySelector(".code").textContent.startsWith("Ⅰ"))`);

    // two projects of a 施策 of Ⅰ with several, the first selected and the last Ctrl+clicked,
    // to another 施策 of Ⅰ
    const src = t.measures.filter((m) => m.code.startsWith("Ⅰ-")).find((m) => under(t, m.id).length >= 3);
    const dst = t.measures.find((m) => m.code.startsWith("Ⅰ-") && m.id !== src.id);
    const from = under(t, src.id);
    const to = under(t, dst.id);
    const pick = [from[0], from[from.length - 1]];
    // the tree followed the moved 施策 down: search the source's projects into view
    await (await s.find(tid("tree-search"))).type(`${src.code}-`);
    await s.waitUntil(`document.querySelectorAll('[data-testid="tree-project"]').length === ${from.length}`, { message: "the source's projects listed" });
    await selectProject(s, pick[0][0]);
    await s.exec(`document.querySelector('[data-testid="tree-project"][data-code="${pick[1][0]}"]').dispatchEvent(new MouseEvent("click", { bubbles: true, ctrlKey: true }));`);
    await s.waitUntil(`document.querySelectorAll('[data-testid="tree-project"][data-marked="1"]').length === 2`, { message: "two marked" });
    assert.match(await textOf(await s.find(tid("marked-bar"))), /2 件を選択中/);
    await (await s.find(tid("move-projects"))).click();
    await chooseIn(s, `${dst.code} `);
    await s.waitUntil(`!document.querySelector('[data-testid="marked-bar"]')`, { message: "moved, marks cleared" });
    t = await planTree(s);
    const circled = "①②③④⑤⑥⑦⑧⑨⑩";
    const after = under(t, dst.id);
    assert.equal(after.length, to.length + 2);
    assert.deepEqual(after.slice(-2).map((x) => x[1]), pick.map((x) => x[1]), "at the end of the target, in tree order");
    assert.deepEqual(after.map((x) => x[0]), after.map((_, i) => `${dst.code}-${circled[i]}`), "the target numbered 1…n");
    const left = under(t, src.id);
    assert.deepEqual(left.map((x) => x[1]), from.slice(1, -1).map((x) => x[1]));
    assert.deepEqual(left.map((x) => x[0]), left.map((_, i) => `${src.code}-${circled[i]}`), "the source renumbered without gaps");
    // the move is in the project's history
    await s.exec(`const el = document.querySelector('[data-testid="tree-search"]'); el.value = ""; el.dispatchEvent(new Event("input", { bubbles: true }));`);
    await (await s.find(tid("tree-search"))).type(after[after.length - 1][0]);
    await selectProject(s, after[after.length - 1][0]);
    await (await s.find(tid("tab-history"))).click();
    await (await s.waitFor(tid("history-project"))).click();
    const moveRow = await s.waitFor(`[data-testid="history-row"][data-field="measures"]`);
    assert.match(await textOf(moveRow), /施策/);
    await h.close();
  }),
);

test(
  "zoom: Ctrl + + / Ctrl + − and Ctrl + wheel change the page's zoom, kept after a restart; Ctrl + 0 resets",
  withScreenshot(() => h, "zoom", async () => {
    h.reset();
    let s = await h.launch();
    const zoom = () => s.exec(`return [document.documentElement.style.zoom, document.body.dataset.zoom];`);
    assert.deepEqual(await zoom(), ["1", "100"]);
    await chord(s, Keys.CONTROL, "+");
    await s.waitUntil(`document.body.dataset.zoom === "110"`, { message: "Ctrl + + zooms in" });
    await chord(s, Keys.CONTROL, "+");
    await s.waitUntil(`document.body.dataset.zoom === "125"`);
    assert.equal((await zoom())[0], "1.25");
    // the whole page scales: the root's computed zoom
    assert.equal(await s.exec(`return getComputedStyle(document.documentElement).zoom;`), "1.25");
    await chord(s, Keys.CONTROL, "-");
    await s.waitUntil(`document.body.dataset.zoom === "110"`, { message: "Ctrl + − zooms out" });
    // Ctrl + wheel up zooms in, without Ctrl the wheel scrolls
    await s.exec(`window.dispatchEvent(new WheelEvent("wheel", { deltaY: -100, ctrlKey: true, cancelable: true }));`);
    await s.waitUntil(`document.body.dataset.zoom === "125"`, { message: "Ctrl + wheel zooms" });
    await s.exec(`window.dispatchEvent(new WheelEvent("wheel", { deltaY: -100, cancelable: true }));`);
    assert.equal((await zoom())[1], "125");
    await h.close();
    // kept on this computer
    s = await h.launch();
    assert.deepEqual(await zoom(), ["1.25", "125"]);
    await chord(s, Keys.CONTROL, "0");
    await s.waitUntil(`document.body.dataset.zoom === "100"`, { message: "Ctrl + 0 resets" });
    await h.close();
  }),
);

test(
  "印刷: the project sheet's print button prints the sheet alone on A4",
  withScreenshot(() => h, "print", async () => {
    h.reset();
    const s = await h.launch();
    await selectProject(s, "Ⅰ-1-②");
    // the print dialog is the webview's own: the test takes window.print's place and looks at
    // the page as it prints (the print style sheet applied)
    await s.exec(`
      window.__printed = [];
      window.print = () => {
        const rules = [...document.styleSheets].flatMap((sh) => [...sh.cssRules]).filter((r) => r instanceof CSSMediaRule && r.media.mediaText === "print");
        rules.forEach((r) => (r.media.mediaText = "all"));
        const shown = (sel) => { const el = document.querySelector(sel); return !!el && getComputedStyle(el).display !== "none" && el.getClientRects().length > 0; };
        window.__printed.push({
          tree: shown(".tree-pane"), tabs: shown(".tabs"), editor: shown('[data-testid="editor"]'),
          text: document.querySelector('[data-testid="editor"]').innerText,
          page: [...document.styleSheets].flatMap((sh) => [...sh.cssRules]).filter((r) => r instanceof CSSPageRule).map((r) => r.style.getPropertyValue("size")).join(" "),
        });
        rules.forEach((r) => (r.media.mediaText = "print"));
      };`);
    await (await s.find(tid("print"))).click();
    await s.waitUntil(`window.__printed.length === 1`, { message: "print started" });
    const [p] = await s.exec(`return window.__printed;`);
    assert.equal(p.tree, false, "no plan tree on paper");
    assert.equal(p.tabs, false, "no tabs on paper");
    assert.equal(p.editor, true, "the sheet is printed");
    assert.match(p.text, /Ⅰ-1-②/);
    assert.match(p.page, /a4/i, "A4");
    // after printing the screen is as it was
    assert.equal(await s.exec(`return getComputedStyle(document.querySelector(".tree-pane")).display !== "none";`), true);
    await h.close();
  }),
);
