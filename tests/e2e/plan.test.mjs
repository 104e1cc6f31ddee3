// The plan is the office's own (issue 14): the first-start screen, the 計画 menu (new plan, open
// after a restart, 名前を付けて保存), the outline (policies, measures, projects added, moved,
// deleted) and 点検 with links to the cells. The real app over WebDriver (see harness.mjs).
import assert from "node:assert/strict";
import { test } from "node:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { withScreenshot, useHarness, tid, textOf } from "./harness.mjs";
import { Keys } from "./webdriver.mjs";

let h;
useHarness((started) => (h = started));


/** Answers the in-app question (askText) with `text`. */
async function answer(s, text) {
  const input = await s.waitFor(tid("ask-input"));
  await input.type(text);
  await (await s.find(tid("ask-ok"))).click();
  await s.waitUntil(`!document.querySelector('[data-testid="ask"]')`, { message: "question answered" });
}

/** Opens the 計画 menu and picks an item. */
async function menu(s, item) {
  await (await s.find(tid("plan-menu"))).click();
  await (await s.waitFor(tid(`menu-${item}`))).click();
}

test(
  "first start asks who is using the app, offers the four ways in, and remembers the choice",
  withScreenshot(() => h, "first-start", async () => {
    h.reset();
    let s = await h.launch({ sample: false });
    await s.waitFor(tid("welcome"));
    // nothing to choose from before the role is known
    assert.equal((await s.findAll(tid("welcome-new"))).length, 0);
    // a department's DX推進員: opening the department workbook comes first
    await (await s.find(tid("role-department"))).click();
    await s.waitFor(tid("welcome-department"));
    const first = await s.exec(`return document.querySelector('.welcome-actions .action').dataset.testid;`);
    assert.equal(first, "welcome-department");
    // the office: a new plan first; the four ways in are all there
    await (await s.find(tid("role-office"))).click();
    await s.waitUntil(`document.querySelector('.welcome-actions .action')?.dataset.testid === "welcome-new"`, { message: "office order" });
    const ways = await s.exec(`return [...document.querySelectorAll('.welcome-actions .action strong')].map((e) => e.textContent);`);
    assert.deepEqual(ways, ["新しい計画", "計画ファイルを開く", "課別ブックを開く", "サンプルで試す"]);
    assert.equal(await s.exec(`return document.querySelector('[data-testid="role-office"]').getAttribute("aria-checked");`), "true");
    // try the sample: the office's plan opens on it, in its own file
    await (await s.find(tid("welcome-sample"))).click();
    await s.waitUntil(`document.body.dataset.ready === "1" && !!document.querySelector('[data-testid="plan-title"]')`, { message: "sample open" });
    assert.equal(await (await s.find(tid("plan-title"))).text(), "大野城市DX推進計画");
    assert.match(await (await s.find(tid("match-count"))).text(), /30 \/ 30 事業/);
    assert.match(await (await s.find(tid("mode-badge"))).text(), /事務局（DX推進担当）/);
    await h.close();
    const prefs = JSON.parse(readFileSync(join(h.dataDir, "prefs.json"), "utf8"));
    assert.equal(prefs.role, "office");
    // a restart goes straight to the plan worked on last
    s = await h.launch({ sample: false });
    assert.equal(await s.exec(`return document.body.dataset.welcome ?? null;`), null);
    assert.equal(await (await s.find(tid("plan-title"))).text(), "大野城市DX推進計画");
    await h.close();
  }),
);

test(
  "a new plan from the 計画 menu gets its outline, is open again after a restart, and is saved under another name",
  withScreenshot(() => h, "new-plan", async () => {
    h.reset();
    let s = await h.launch();
    const path = join(h.tmp, "plans", "テスト市DX推進計画.dxplan");
    await menu(s, "new");
    await s.waitFor(tid("new-plan"));
    await (await s.find(tid("new-plan-title"))).type("テスト市DX推進計画");
    await (await s.find(tid("new-plan-city"))).type("テスト市");
    await (await s.find(tid("new-plan-period"))).type("R6～R9");
    h.answerPicks([path]);
    await (await s.find(tid("new-plan-pick"))).click();
    await s.waitUntil(`document.querySelector('[data-testid="new-plan-path"]').value.endsWith(".dxplan")`, { message: "path chosen" });
    await (await s.find(tid("new-plan-create"))).click();
    await s.waitUntil(`document.querySelector('[data-testid="plan-title"]')?.textContent === "テスト市DX推進計画"`, { message: "new plan open" });
    assert.ok(existsSync(path), "plan file written where chosen");
    assert.match(await s.exec(`return document.querySelector('.plan-sub').textContent;`), /テスト市.*2024年度（令和6年度）～2027年度（令和9年度）/);
    await s.waitFor(tid("tree-empty"));

    // the outline: a policy, a measure, two projects
    await (await s.find(tid("add-policy"))).click();
    await answer(s, "行政サービスのデジタル化");
    const policy = await s.waitFor(tid("tree-policy"));
    await (await policy.find(tid("add-in-policy"))).click();
    await answer(s, "行政手続のオンライン化");
    const measure = await s.waitFor(tid("tree-measure"));
    for (const title of ["電子申請の拡大", "キャッシュレス決済の導入"]) {
      await (await measure.find(tid("add-in-measure"))).click();
      await answer(s, title);
      await s.waitUntil(`document.querySelector('[data-testid="editor-title"]')?.textContent === ${JSON.stringify(title)}`, { message: `${title} open` });
    }
    assert.equal(await (await s.find(tid("editor-code"))).text(), "Ⅰ-1-②");
    // moved up: renumbered
    await (await s.find(tid("project-up"))).click();
    await s.waitUntil(`document.querySelector('[data-testid="editor-code"]')?.textContent === "Ⅰ-1-①"`, { message: "moved up and renumbered" });
    // a typed value is in the new plan
    const cell = await s.waitFor(tid("budget-2025"));
    await cell.click();
    await cell.type("3,000" + Keys.ENTER);
    await s.waitUntil(`document.querySelector('[data-testid="budget-total"]')?.textContent === "3,000"`, { message: "budget saved" });
    await h.close();

    // after a restart the new plan is the one open, with its outline
    s = await h.launch({ sample: false });
    assert.equal(await (await s.find(tid("plan-title"))).text(), "テスト市DX推進計画");
    const rows = await s.exec(`return [...document.querySelectorAll('[data-testid="tree-project"]')].map((r) => r.dataset.code + " " + r.querySelector('.title').textContent);`);
    assert.deepEqual(rows, ["Ⅰ-1-① キャッシュレス決済の導入", "Ⅰ-1-② 電子申請の拡大"]);
    // the sample is among the recent plans
    await (await s.find(tid("plan-menu"))).click();
    const recent = await s.waitFor(tid("menu-recent"));
    assert.match(await textOf(recent), /大野城市DX推進計画/);
    await (await s.find(tid("plan-menu"))).click();

    // a project deleted (asked first) is gone and the rest renumbered
    await (await s.waitFor(`[data-testid="tree-project"][data-code="Ⅰ-1-①"]`)).click();
    await s.waitUntil(`document.querySelector('[data-testid="editor-title"]')?.textContent === "キャッシュレス決済の導入"`);
    await (await s.find(tid("project-delete"))).click();
    await (await s.waitFor(tid("ask-ok"))).click();
    await s.waitUntil(`document.querySelectorAll('[data-testid="tree-project"]').length === 1`, { message: "one project left" });
    assert.equal(await s.exec(`return document.querySelector('[data-testid="tree-project"]').dataset.code;`), "Ⅰ-1-①");

    // 名前を付けて保存: the copy becomes the plan worked on; the original stays
    const saved = join(h.tmp, "plans", "第2版.dxplan");
    h.answerPicks([saved]);
    await menu(s, "save-as");
    await s.waitUntil(`document.querySelector('.plan-sub')?.title.endsWith("第2版.dxplan")`, { message: "working on the saved copy" });
    assert.ok(existsSync(saved) && existsSync(path));
    await h.close();
  }),
);

test(
  "点検 lists a finding and its link opens the project at the cell",
  withScreenshot(() => h, "checks", async () => {
    h.reset();
    const s = await h.launch();
    await (await s.waitFor(`[data-testid="tree-project"][data-code="Ⅰ-1-②"]`)).click();
    await s.waitUntil(`document.querySelector('[data-testid="editor-code"]')?.textContent === "Ⅰ-1-②"`);
    const cell = await s.waitFor(tid("general-2024"));
    await cell.click();
    await s.exec("arguments[0].select();", cell.ref);
    await cell.type("999,999" + Keys.ENTER);
    await s.waitUntil(`document.querySelector('[data-testid="general-2024"]').value === "999,999"`, { message: "saved" });
    await (await s.find(tid("tab-checks"))).click();
    const row = await s.waitFor(`[data-testid="check"][data-field="budget/2024/general_revenue"]`);
    assert.match(await textOf(row), /Ⅰ-1-②.*一般財源が事業費を超過/);
    // from another project, the link goes back to that cell
    await (await s.find(tid("tab-plan"))).click();
    await (await s.waitFor(`[data-testid="tree-project"][data-code="Ⅰ-1-①"]`)).click();
    await s.waitUntil(`document.querySelector('[data-testid="editor-code"]')?.textContent === "Ⅰ-1-①"`);
    await (await s.find(tid("tab-checks"))).click();
    await (await (await s.waitFor(`[data-testid="check"][data-field="budget/2024/general_revenue"]`)).find(tid("check-go"))).click();
    await s.waitUntil(`document.querySelector('[data-testid="editor-code"]')?.textContent === "Ⅰ-1-②"`, { message: "project opened" });
    await s.waitUntil(`document.activeElement?.dataset.field === "budget/2024/general_revenue"`, { message: "the cell has the focus" });
    await h.close();
  }),
);

test(
  "the web side names no file: a path, an unknown handle or a handle picked for something else is refused (issue 12)",
  withScreenshot(() => h, "handles", async () => {
    h.reset();
    const s = await h.launch();
    // What a compromised page could send: the app's own IPC, called directly.
    const call = (cmd, args) =>
      s.execAsync(
        `const done = arguments[arguments.length - 1];
         window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1]).then((v) => done({ ok: v }), (e) => done({ err: e }));`,
        cmd,
        args,
      );
    // tauri.conf.json's freezePrototype: a page script cannot change Object.prototype
    assert.equal(await s.exec(`return Object.isFrozen(Object.prototype);`), true);
    const sample = join(h.dataDir, "onojo-sample.dxplan");
    assert.ok(existsSync(sample));
    const before = readFileSync(sample);
    const target = join(h.tmp, "stolen.dxplan");

    // a real plan's path in place of a handle
    let r = await call("open_plan_file", { file: sample });
    assert.equal(r.err?.code, "invalid_handle", JSON.stringify(r));
    r = await call("copy_plan_to", { file: target });
    assert.equal(r.err?.code, "invalid_handle", JSON.stringify(r));
    assert.ok(!existsSync(target), "nothing written where the page said");
    // the old argument name
    r = await call("open_plan_file", { path: sample });
    assert.ok(r.err, JSON.stringify(r));
    // a well-formed handle never issued
    r = await call("open_plan_file", { file: "0123456789abcdef0123456789abcdef" });
    assert.equal(r.err?.code, "invalid_handle", JSON.stringify(r));

    // a read handle (the plan picked to open) cannot be written to …
    h.answerPicks([sample]);
    r = await call("pick_files", { purpose: "plan" });
    const read = r.ok?.[0];
    assert.equal(read?.name, "onojo-sample.dxplan", JSON.stringify(r));
    assert.deepEqual(Object.keys(read).sort(), ["folder", "handle", "name"]);
    for (const [cmd, args] of [
      ["copy_plan_to", { file: read.handle }],
      ["save_plan_as", { file: read.handle }],
      ["export_master", { file: read.handle }],
      ["merge_preview", { files: [read.handle] }],
    ]) {
      r = await call(cmd, args);
      assert.equal(r.err?.code, "invalid_handle", `${cmd}: ${JSON.stringify(r)}`);
    }
    // … and a save handle cannot be read: not opened as a plan, not merged
    h.answerPicks([target]);
    r = await call("pick_save_path", { purpose: "save_plan", defaultName: "x.dxplan" });
    const save = r.ok;
    assert.equal(save?.name, "stolen.dxplan", JSON.stringify(r));
    r = await call("open_plan_file", { file: save.handle });
    assert.equal(r.err?.code, "invalid_handle", JSON.stringify(r));
    r = await call("merge_preview", { files: [save.handle] });
    assert.equal(r.err?.code, "invalid_handle", JSON.stringify(r));
    // a dialog opened for reading does not hand out save handles
    r = await call("pick_files", { purpose: "save_plan" });
    assert.equal(r.err?.code, "invalid", JSON.stringify(r));
    // the save handle does what it was picked for, once
    r = await call("copy_plan_to", { file: save.handle });
    assert.ok(r.ok, JSON.stringify(r));
    assert.ok(existsSync(target));
    r = await call("copy_plan_to", { file: save.handle });
    assert.equal(r.err?.code, "invalid_handle", JSON.stringify(r));
    assert.ok(readFileSync(sample).equals(before), "the plan untouched");
    await h.close();
  }),
);
