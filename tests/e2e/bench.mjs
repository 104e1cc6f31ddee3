// Bench of the desktop app under Xvfb:
//  1. cold start to an interactive plan tree (process spawn → the UI reports the tree ready):
//     first start (writes the sample plan), then restarts; and with a generated 10,000-project plan;
//  2. edit-saved latency: N edits typed into the project sheet through WebDriver, each saved as
//     one transaction; the UI times each save from the commit to the shell's answer.
// Run by scripts/bench-app.sh. Env: DXPLAN_APP (binary), DXPLAN_CLI (dxplan CLI, for the 10k plan),
// BENCH_RUNS (sample starts, 5), BENCH_RUNS_10K (10,000-project starts, 3), BENCH_EDITS (200; 0: none).
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Harness } from "./harness.mjs";
import { Keys } from "./webdriver.mjs";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const EDITS = Number(process.env.BENCH_EDITS ?? 200);
const RUNS_10K = Number(process.env.BENCH_RUNS_10K ?? 3);

function pct(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}
const fmt = (x) => x.toFixed(1);

async function startXvfb() {
  for (let n = 300 + Math.floor(Math.random() * 200); n < 600; n++) {
    if (existsSync(`/tmp/.X11-unix/X${n}`)) continue;
    const proc = spawn("Xvfb", [`:${n}`, "-screen", "0", "1440x900x24", "-nolisten", "tcp"], { stdio: "ignore" });
    for (let i = 0; i < 50 && !existsSync(`/tmp/.X11-unix/X${n}`); i++) await new Promise((r) => setTimeout(r, 100));
    if (existsSync(`/tmp/.X11-unix/X${n}`)) return { display: `:${n}`, proc };
    proc.kill();
  }
  throw new Error("no Xvfb");
}

/** Spawns the app; resolves with ms from spawn to the DXPLAN_READY line (the app then exits). */
function coldStart(app, env) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const p = spawn(app, ["--sample"], { env: { ...process.env, ...env, DXPLAN_BENCH: "1", DXPLAN_EXIT_WHEN_READY: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let done = false;
    const timer = setTimeout(() => {
      if (!done) {
        p.kill("SIGKILL");
        reject(new Error(`no DXPLAN_READY within 60 s: ${out}`));
      }
    }, 60_000);
    p.stdout.on("data", (d) => {
      out += d.toString();
      const m = /DXPLAN_READY ([\d.]+) ms (.*)/.exec(out);
      if (m && !done) {
        done = true;
        const wall = Number(process.hrtime.bigint() - t0) / 1e6;
        const timings = [...out.matchAll(/DXPLAN_TIMING (.*)/g)].map((t) => t[1].trim());
        resolve({ wall, inApp: Number(m[1]), detail: [m[2].trim(), ...timings].join("; ") });
      }
    });
    p.on("exit", () => {
      clearTimeout(timer);
      if (!done) reject(new Error(`app exited before ready: ${out}`));
    });
  });
}

async function benchStart(app, display) {
  const tmp = mkdtempSync(join(tmpdir(), "dxplan-bench-"));
  // debug builds read DXPLAN_DATA_DIR; release builds use the XDG data folder
  const env = { DISPLAY: display, DXPLAN_DATA_DIR: join(tmp, "data"), XDG_DATA_HOME: join(tmp, "xdg"), NO_AT_BRIDGE: "1" };
  const results = [];
  for (let i = 0; i < RUNS; i++) results.push(await coldStart(app, env));
  console.log(`cold start to interactive plan tree (sample, 30 projects), ${RUNS} runs:`);
  results.forEach((r, i) => console.log(`  run ${i + 1}${i === 0 ? " (first start: writes the sample plan)" : ""}: ${fmt(r.wall)} ms wall (${fmt(r.inApp)} ms in app; ${r.detail})`));
  const walls = results.map((r) => r.wall);
  console.log(`  median ${fmt(pct(walls, 50))} ms, max ${fmt(Math.max(...walls))} ms (target < 2000 ms)`);

  const cli = process.env.DXPLAN_CLI;
  if (cli && existsSync(cli)) {
    const big = join(tmp, "data10k");
    mkdirSync(big, { recursive: true });
    const plan = join(big, "generated-10000.dxplan");
    execFileSync(cli, ["generate", plan, "--projects", "10000", "--seed", "6"], { stdio: "ignore" });
    writeFileSync(join(big, "settings.json"), JSON.stringify({ last_plan: plan }));
    const xdgBig = join(tmp, "xdg10k");
    const appDir = join(xdgBig, "jp.dxplan.editor");
    mkdirSync(appDir, { recursive: true });
    writeFileSync(join(appDir, "settings.json"), JSON.stringify({ last_plan: plan }));
    const env10 = { ...env, DXPLAN_DATA_DIR: big, XDG_DATA_HOME: xdgBig };
    const r10 = [];
    for (let i = 0; i < RUNS_10K; i++) r10.push(await coldStart(app, env10));
    console.log(`cold start with a generated 10,000-project plan, ${r10.length} runs:`);
    r10.forEach((r, i) => console.log(`  run ${i + 1}: ${fmt(r.wall)} ms wall (${fmt(r.inApp)} ms in app; ${r.detail})`));
    const w10 = r10.map((r) => r.wall);
    const a10 = r10.map((r) => r.inApp);
    console.log(`  median ${fmt(pct(w10, 50))} ms wall, ${fmt(pct(a10, 50))} ms in app (target ≤ 1000 ms)`);
  }
  rmSync(tmp, { recursive: true, force: true });
}

async function benchEdits() {
  const h = await Harness.start();
  try {
    const s = await h.launch();
    await (await s.waitFor(`[data-testid="tree-project"][data-code="Ⅰ-1-②"]`)).click();
    await s.waitUntil(`document.querySelector('[data-testid="editor-code"]')?.textContent === "Ⅰ-1-②"`);
    const cell = await s.waitFor(`[data-testid="budget-2023"]`);
    await s.exec("window.__dxplanSaveLatencies.length = 0;");
    for (let i = 0; i < EDITS; i++) {
      await cell.click();
      await s.exec("arguments[0].select();", cell.ref);
      const before = await s.exec("return window.__dxplanSaveLatencies.length;");
      await cell.type(String(1000 + i) + Keys.ENTER);
      await s.waitUntil(`window.__dxplanSaveLatencies.length > ${before}`, { timeout: 10_000 });
    }
    const lat = await s.exec("return window.__dxplanSaveLatencies.slice();");
    console.log(`edit saved (commit → one transaction in the plan file → UI updated), ${lat.length} edits:`);
    console.log(`  p50 ${fmt(pct(lat, 50))} ms, p90 ${fmt(pct(lat, 90))} ms, p99 ${fmt(pct(lat, 99))} ms, max ${fmt(Math.max(...lat))} ms (target p99 < 50 ms)`);
  } finally {
    await h.stop();
  }
}

const app = process.env.DXPLAN_APP;
if (!app || !existsSync(app)) throw new Error("set DXPLAN_APP to the built dxplan-app");
const x = await startXvfb();
try {
  await benchStart(app, x.display);
} finally {
  x.proc.kill();
}
// BENCH_EDITS=0: the cold starts only
if (EDITS > 0) await benchEdits();
