// Starts the real app under Xvfb through tauri-driver + WebKitWebDriver, one WebDriver session
// per app launch. Test-only variables (debug builds): DXPLAN_DATA_DIR points the app-data
// folder at a temp dir; DXPLAN_TEST_PICK names an answers file that stands in for the native
// file dialogs (see src-tauri/src/pick.rs).
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { after, before } from "node:test";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Keys, Session, sleep } from "./webdriver.mjs";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const ARTIFACTS = join(ROOT, "target", "e2e-artifacts");

export function appBinary() {
  const candidates = [process.env.DXPLAN_APP, join(ROOT, "target/debug/dxplan-app"), join(ROOT, "target/app/debug/dxplan-app")].filter(Boolean);
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`dxplan-app not built (looked for ${candidates.join(", ")}); run scripts/test.sh or cargo build -p dxplan-app`);
  return found;
}

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.unref();
    s.on("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

async function startXvfb() {
  if (process.env.DISPLAY && !process.env.DXPLAN_E2E_OWN_XVFB) return { display: process.env.DISPLAY, proc: null };
  for (let n = 90 + Math.floor(Math.random() * 100); n < 400; n++) {
    if (existsSync(`/tmp/.X11-unix/X${n}`) || existsSync(`/tmp/.X${n}-lock`)) continue;
    const proc = spawn("Xvfb", [`:${n}`, "-screen", "0", "1440x900x24", "-nolisten", "tcp"], { stdio: "ignore" });
    for (let i = 0; i < 50; i++) {
      if (existsSync(`/tmp/.X11-unix/X${n}`)) return { display: `:${n}`, proc };
      if (proc.exitCode !== null) break;
      await sleep(100);
    }
    proc.kill();
  }
  throw new Error("cannot start Xvfb");
}

export class Harness {
  /** One Xvfb + tauri-driver for a test file; a fresh data dir and answers file. */
  static async start() {
    const h = new Harness();
    h.tmp = mkdtempSync(join(tmpdir(), "dxplan-e2e-"));
    h.dataDir = join(h.tmp, "appdata");
    h.pickFile = join(h.tmp, "answers.pick");
    mkdirSync(h.dataDir, { recursive: true });
    mkdirSync(ARTIFACTS, { recursive: true });
    h.app = appBinary();
    h.xvfb = await startXvfb();
    h.port = await freePort();
    const nativePort = await freePort();
    const driverBin = process.env.TAURI_DRIVER ?? (existsSync(join(process.env.HOME ?? "", ".cargo/bin/tauri-driver")) ? join(process.env.HOME, ".cargo/bin/tauri-driver") : "tauri-driver");
    h.driver = spawn(driverBin, ["--port", String(h.port), "--native-port", String(nativePort), "--native-driver", "/usr/bin/WebKitWebDriver"], {
      env: {
        ...process.env,
        DISPLAY: h.xvfb.display,
        DXPLAN_DATA_DIR: h.dataDir,
        // release builds ignore DXPLAN_DATA_DIR: keep their app-data folder in the temp dir too
        XDG_DATA_HOME: join(h.tmp, "xdg"),
        DXPLAN_TEST_PICK: h.pickFile,
        // quieter WebKit under Xvfb (no GPU)
        WEBKIT_DISABLE_COMPOSITING_MODE: "1",
        LIBGL_ALWAYS_SOFTWARE: "1",
        NO_AT_BRIDGE: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    h.driverLog = [];
    h.driver.stdout.on("data", (d) => h.driverLog.push(d.toString()));
    h.driver.stderr.on("data", (d) => h.driverLog.push(d.toString()));
    h.base = `http://127.0.0.1:${h.port}`;
    for (let i = 0; i < 100; i++) {
      try {
        const r = await fetch(`${h.base}/status`);
        if (r.ok || r.status === 404 || r.status === 405) return h;
      } catch {
        /* not up yet */
      }
      if (h.driver.exitCode !== null) break;
      await sleep(100);
    }
    await h.stop();
    throw new Error(`tauri-driver did not start: ${h.driverLog.join("")}`);
  }

  /**
   * Launches the app (a new process) and waits for the plan tree to be interactive. On a first
   * start (the first-start screen), `sample: true` (the default) answers it as the office trying
   * the sample, as most tests want; `sample: false` returns at the first-start screen.
   */
  async launch({ waitReady = true, sample = true } = {}) {
    const s = await Session.create(this.base, { "tauri:options": { application: this.app } });
    this.session = s;
    if (!waitReady) return s;
    const state = () => s.exec(`return document.querySelector('[data-testid="fatal"]') ? "fatal" : document.body.dataset.welcome === "1" ? "welcome" : document.body.dataset.ready === "1" && document.querySelector('[data-testid="app"]') ? "ready" : null;`);
    await s.waitUntil(`document.body.dataset.ready === "1" || document.body.dataset.welcome === "1" || !!document.querySelector('[data-testid="fatal"]')`, { timeout: 30_000, message: "plan tree or first-start screen" });
    let now = await state();
    if (now === "fatal") {
      const fatal = await s.exec(`return document.querySelector('[data-testid="fatal"]').textContent;`);
      throw new Error(`app could not open its plan: ${fatal}`);
    }
    if (now === "welcome" && sample) {
      await (await s.waitFor('[data-testid="role-office"]')).click();
      await (await s.waitFor('[data-testid="welcome-sample"]')).click();
      await s.waitUntil(`document.body.dataset.ready === "1" && !!document.querySelector('[data-testid="app"]')`, { timeout: 30_000, message: "sample plan open" });
    }
    return s;
  }

  /** Quits the app (the WebDriver session owns the process). A script error the page caught
   * (main.tsx keeps it in `data-script-error`: under the frozen Object.prototype an assignment
   * to an inherited property throws) fails the test. */
  async close() {
    let scriptError = null;
    if (this.session) {
      scriptError = await this.session.exec(`return document.body.dataset.scriptError ?? null;`).catch(() => null);
      await this.session.delete();
    }
    this.session = null;
    await sleep(300);
    if (scriptError) throw new Error(`the page had a script error: ${scriptError}`);
  }

  /** Forgets the app's data (the next launch is a first start again). */
  reset() {
    rmSync(this.dataDir, { recursive: true, force: true });
    mkdirSync(this.dataDir, { recursive: true });
  }

  /** What the next native file dialog returns; [] = cancelled. */
  answerPicks(paths) {
    writeFileSync(this.pickFile, paths.join("\n") + "\n");
  }

  async screenshot(name) {
    if (!this.session) return null;
    try {
      const png = await this.session.screenshot();
      const path = join(ARTIFACTS, `${name.replace(/[^\w.-]+/g, "_")}.png`);
      writeFileSync(path, png);
      return path;
    } catch {
      return null;
    }
  }

  async stop() {
    await this.close().catch(() => undefined);
    this.driver?.kill("SIGTERM");
    this.xvfb?.proc?.kill("SIGTERM");
    await sleep(200);
    if (this.tmp && !process.env.DXPLAN_E2E_KEEP) rmSync(this.tmp, { recursive: true, force: true });
  }
}

/** Wraps a test body: on failure saves a screenshot (target/e2e-artifacts/NAME.png) and rethrows. */
export function withScreenshot(h, name, fn) {
  return async (t) => {
    try {
      await fn(t);
    } catch (e) {
      const shot = await h().screenshot(`FAILED-${name}`);
      if (shot) e.message += `\n  screenshot: ${shot}`;
      await h().close().catch(() => undefined);
      throw e;
    }
  };
}

/** One app per test file: started before the file's first test, stopped after its last. */
export function useHarness(started) {
  let h;
  before(async () => {
    h = await Harness.start();
    started(h);
  });
  after(async () => {
    await h?.stop();
  });
}

/** The CSS selector of an element by its `data-testid`. */
export const tid = (id) => `[data-testid="${id}"]`;

export function textOf(el) {
  return el.s.exec("return arguments[0].textContent;", el.ref);
}

/** Replaces an input's text as a person would: click, select all, type, Enter. */
export async function typeInto(el, text) {
  await el.click();
  // select what is there, so the typed text replaces it (WebKitWebDriver keeps Ctrl held across a send)
  await el.s.exec("arguments[0].select();", el.ref);
  await el.type(text + Keys.ENTER);
}

/**
 * Saves a screenshot for docs/ as OUT/NAME.png, notices dismissed, and fails when the page or one of
 * the active screen's `scrollers` scrolls sideways (the pictures are taken at 1366×697).
 */
export async function docShot(s, out, name, scrollers = [".page", ".editor-scroll"]) {
  await s.exec(`document.querySelectorAll('.notice button').forEach((b) => b.click());`);
  await sleep(500);
  const css = scrollers.map((c) => `.screen:not(.inactive) ${c}`).join(", ");
  const over = await s.exec(`return [document.documentElement, ...document.querySelectorAll(${JSON.stringify(css)})]
    .filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => (e.className || e.tagName) + " " + e.scrollWidth + ">" + e.clientWidth);`);
  if (over.length) throw new Error(`${name}: horizontal scroll at 1366×697: ${over.join(", ")}`);
  writeFileSync(join(out, `${name}.png`), await s.screenshot());
  console.log("wrote", name);
}
