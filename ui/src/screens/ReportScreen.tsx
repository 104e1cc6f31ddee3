// 報告書 (issue 17): the committee report of the open plan — 報告年度, 版 and 課 as `dxplan report`
// takes them — typeset by the core, previewed page by page (SVG images, fetched as they come
// into view), saved as PDF, printed. Every figure in it is the core's; nothing is computed here.
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import {
  commands,
  errorText,
  isAppError,
  progressChannel,
  run,
  type DepartmentChoice,
  type PlanTree,
  type ProgressEvent,
  type ReportPreview,
  type VersionDto,
} from "../api";
import { notify } from "../lib/notify";
import { printSheet } from "../lib/print";
import { durationLabel, pagesToEvict, pagesToLoad, PRINT_LIMIT, sizeLabel, svgUrl } from "../lib/report";
import "./report.css";

interface Options {
  fy: number | null;
  version: string;
  department: string;
}

/** Pages fetched at once (each is a separate command; the core renders them on its threads). */
const SLOTS = 3;
/** Pages kept loaded at most (the rest are fetched again when scrolled back to). */
const KEEP = 60;

export function ReportScreen(p: { tree: PlanTree; active: boolean }) {
  const [versions, setVersions] = useState<VersionDto[]>([]);
  const [depts, setDepts] = useState<DepartmentChoice[]>([]);
  const [opts, setOpts] = useState<Options>({ fy: null, version: "", department: "" });
  const [preview, setPreview] = useState<ReportPreview | null>(null);
  const [busy, setBusy] = useState<ProgressEvent | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [layout, setLayout] = useState<"pages" | "grid">("pages");
  const [pages, setPages] = useState<Map<number, string>>(new Map());
  const [printing, setPrinting] = useState<{ done: number; total: number } | null>(null);
  const [printUrls, setPrintUrls] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const seq = useRef(0);
  /** The report whose pages are shown (a page of an older one is dropped). */
  const current = useRef(0);

  // The lists the options offer; the plan changed (or another opened): start over.
  useEffect(() => {
    if (!p.active) return;
    void (async () => {
      setVersions((await run(commands.versions(), "版の一覧を読めません")) ?? []);
      setDepts((await run(commands.departments(), "課の一覧を読めません")) ?? []);
    })();
  }, [p.active, p.tree]);

  const generate = useCallback(async (o: Options) => {
    const n = ++seq.current;
    setBusy({ done: 0, total: 2, label: "報告書を作成しています…" });
    setError(null);
    setPrintUrls([]);
    try {
      const r = await commands.reportPreview(
        o.fy,
        o.version || null,
        o.department || null,
        progressChannel((e) => n === seq.current && setBusy(e)),
      );
      if (n !== seq.current) return;
      current.current = r.id;
      setPages(new Map());
      setPreview(r);
    } catch (e) {
      if (n !== seq.current) return;
      setPreview(null);
      setError(errorText(e));
    } finally {
      if (n === seq.current) setBusy(null);
    }
  }, []);

  // Made when the screen is shown, again when an option changed, and when the plan changed
  // since (on coming back: an edit elsewhere costs nothing here).
  const treeN = useRef(0);
  const lastTree = useRef(p.tree);
  if (lastTree.current !== p.tree) {
    lastTree.current = p.tree;
    treeN.current++;
  }
  const key = `${treeN.current}|${opts.fy}|${opts.version}|${opts.department}`;
  const made = useRef<string | null>(null);
  useEffect(() => {
    if (p.active && made.current !== key) {
      made.current = key;
      void generate(opts);
    }
  }, [p.active, key]);
  // Leaving for good (another plan): free the typeset report.
  useEffect(() => () => void commands.closeReport().catch(() => undefined), []);

  // ---- pages: fetched as they come into view
  const visible = useRef(new Set<number>());
  const inflight = useRef(new Set<number>());
  const loaded = useRef(new Set<number>());
  const pump = useCallback(() => {
    const r = preview;
    if (!r) return;
    const next = pagesToLoad(visible.current, r.pages, loaded.current, inflight.current, SLOTS - inflight.current.size);
    for (const i of next) {
      inflight.current.add(i);
      commands
        .reportPage(r.id, i)
        .then((svg) => {
          if (r.id !== current.current) return;
          loaded.current.add(i);
          setPages((m) => {
            const next = new Map(m).set(i, svgUrl(svg));
            for (const j of pagesToEvict(visible.current, next.keys(), KEEP)) {
              next.delete(j);
              loaded.current.delete(j);
            }
            return next;
          });
        })
        .catch((e) => {
          if (!(isAppError(e) && e.code === "stale")) notify("error", `${i + 1} ページ目を表示できません: ${errorText(e)}`);
        })
        .finally(() => {
          inflight.current.delete(i);
          pump();
        });
    }
  }, [preview]);
  useEffect(() => {
    visible.current = new Set();
    inflight.current = new Set();
    loaded.current = new Set();
  }, [preview]);

  const scroller = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const root = scroller.current;
    if (!root || !preview) return;
    const io = new IntersectionObserver(
      (entries) => {
        for (const en of entries) {
          const i = Number((en.target as HTMLElement).dataset.index);
          if (en.isIntersecting) visible.current.add(i);
          else visible.current.delete(i);
        }
        pump();
      },
      { root, rootMargin: "200px 0px" },
    );
    root.querySelectorAll<HTMLElement>(".report-page").forEach((el) => io.observe(el));
    return () => io.disconnect();
  }, [preview, layout, pump]);

  // ---- save and print
  const save = async () => {
    if (!preview) return;
    const path = await run(commands.pickSavePath("save_report", preview.file_name));
    if (!path) return;
    setSaving(true);
    const r = await run(commands.saveReport(preview.id, path.handle), "PDFを保存できません");
    setSaving(false);
    if (r) notify("success", `報告書を保存しました：${r.path}（${r.pages} ページ、${sizeLabel(r.bytes)}）`);
  };

  /** Every page as an image in the print-only block, then the webview's print dialog (A4). */
  const print = async () => {
    if (!preview) return;
    const r = preview;
    if (r.pages > PRINT_LIMIT) {
      notify("info", `この報告書は ${r.pages} ページあります。アプリからの印刷は ${PRINT_LIMIT} ページまでです。「PDFを保存」してから PDF ビューアーで印刷してください。`);
      return;
    }
    const all = new Map(pages);
    setPrinting({ done: all.size, total: r.pages });
    try {
      for (let i = 0; i < r.pages; i++) {
        if (all.has(i)) continue;
        all.set(i, svgUrl(await commands.reportPage(r.id, i)));
        setPrinting({ done: all.size, total: r.pages });
      }
    } catch (e) {
      setPrinting(null);
      notify("error", `印刷の準備ができません: ${errorText(e)}`);
      return;
    }
    if (r.id !== current.current) return setPrinting(null);
    setPrintUrls(Array.from({ length: r.pages }, (_, i) => all.get(i) ?? ""));
    setPrinting(null);
    // let the images be laid out before the print dialog takes its snapshot
    await new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res)));
    await printSheet();
  };

  const fys = p.tree.session.fiscal_years;
  const n = preview?.pages ?? 0;
  const set = (patch: Partial<Options>) => setOpts((o) => ({ ...o, ...patch }));
  return (
    <section class="page report-screen" data-testid="report">
      <div class="report-ui">
        <aside class="report-side">
          <h2>推進委員会への報告書</h2>
          <div class="card report-options" data-testid="report-options">
            <label>
              <span>報告年度</span>
              <select value={opts.fy ?? preview?.fiscal_year.fy ?? ""} onChange={(e) => set({ fy: Number(e.currentTarget.value) })} data-testid="report-fy">
                {opts.fy === null && !preview && <option value="">（今年度）</option>}
                {fys.map((y) => <option value={y.fy}>{y.both}</option>)}
              </select>
            </label>
            <label>
              <span>版</span>
              <select value={opts.version} onChange={(e) => set({ version: e.currentTarget.value })} data-testid="report-version">
                <option value="">現在の計画（{p.tree.session.info.version || "版表示なし"}）</option>
                {[...versions].reverse().map((v) => <option value={v.label}>{v.label}{v.issued_on ? `（${v.issued_on}）` : ""}</option>)}
              </select>
            </label>
            <label>
              <span>対象</span>
              <select value={opts.department} onChange={(e) => set({ department: e.currentTarget.value })} data-testid="report-department">
                <option value="">全庁（すべての事業）</option>
                {depts.map((d) => <option value={d.name}>{d.name}（{d.projects} 事業）</option>)}
              </select>
            </label>
            <p class="small muted">事業費・達成率・進捗の集計はダッシュボード・全体ブックと同じ計算です。A4 縦、日本語フォントを埋め込んだ PDF になります。</p>
          </div>
          <div class="card report-status" data-testid="report-status">
            {busy ? (
              <div class="progress" role="progressbar" aria-valuemin={0} aria-valuemax={busy.total} aria-valuenow={busy.done} data-testid="report-progress">
                <div class="progress-bar indeterminate" />
                <span>{busy.label}</span>
              </div>
            ) : preview ? (
              <div data-testid="report-summary">
                <div class="report-count"><strong data-testid="report-page-count">{preview.pages}</strong> ページ</div>
                <div class="small">{preview.fiscal_year.both}・{preview.version || "版表示なし"}</div>
                <div class="small">{preview.department ?? "全庁"}（事業 {preview.projects} 件）</div>
                <div class="small muted">作成 {durationLabel(preview.millis)}・表示済み {pages.size} / {preview.pages} ページ</div>
              </div>
            ) : error ? (
              <p class="err" role="alert" data-testid="report-error">{error}</p>
            ) : null}
            {printing && (
              <div class="progress" data-testid="report-print-progress">
                <progress max={printing.total} value={printing.done} />
                <span class="small">印刷の準備 {printing.done} / {printing.total} ページ</span>
              </div>
            )}
            <div class="actions">
              <button class="primary" onClick={save} disabled={!preview || !!busy || saving} data-testid="report-save">
                {saving ? "保存中…" : "PDFを保存…"}
              </button>
              <button onClick={print} disabled={!preview || !!busy || !!printing} data-testid="report-print" title="すべてのページを A4 で印刷">
                印刷…
              </button>
            </div>
          </div>
        </aside>
        <div class="report-view">
          <div class="report-view-head">
            <div class="segmented">
              <button class={layout === "pages" ? "active" : ""} onClick={() => setLayout("pages")} data-testid="report-layout-pages">ページ</button>
              <button class={layout === "grid" ? "active" : ""} onClick={() => setLayout("grid")} data-testid="report-layout-grid">一覧</button>
            </div>
            {preview && <span class="small muted">{layout === "grid" ? "ページを選ぶと大きく表示します" : `全 ${n} ページ`}</span>}
          </div>
          <div class={`report-pages ${layout}`} ref={scroller} data-testid="report-pages">
            {preview &&
              Array.from({ length: n }, (_, i) => {
                const url = pages.get(i);
                return (
                  <figure
                    class="report-page"
                    data-index={i}
                    data-testid="report-page"
                    data-loaded={url ? "1" : "0"}
                    onClick={() => {
                      if (layout !== "grid") return;
                      setLayout("pages");
                      requestAnimationFrame(() => scroller.current?.querySelector(`[data-index="${i}"]`)?.scrollIntoView());
                    }}
                  >
                    {url ? <img src={url} alt={`${i + 1} ページ`} draggable={false} /> : <div class="report-page-wait">{i + 1}</div>}
                    <figcaption>{i + 1} / {n}</figcaption>
                  </figure>
                );
              })}
            {!preview && !busy && !error && <p class="muted">報告書を作成すると、ここにページが表示されます。</p>}
          </div>
        </div>
      </div>
      {printUrls.length > 0 && (
        <div class="report-print" aria-hidden="true">
          {printUrls.map((u) => <img src={u} alt="" />)}
        </div>
      )}
    </section>
  );
}
