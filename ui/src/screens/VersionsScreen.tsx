// 版 (issue 16): record the plan as it stands as a named version (第1.1版, 発行日, 備考), list the
// versions, open any one read-only, and compare two of them (or one with the plan as it stands)
// in the 新旧対照表.
import { useEffect, useState } from "preact/hooks";
import { commands, run, type PlanTree, type VersionDto } from "../api";
import { CommitInput } from "../components/CommitInput";
import { japaneseDate, nextLabel, parseJapaneseDate } from "../lib/cycle";
import { formatDateTime } from "../lib/format";
import { notify } from "../lib/notify";
import { CompareView, NOW } from "./CompareView";
import { VersionViewer } from "./VersionViewer";
import "./cycle.css";

type View = { kind: "list" } | { kind: "compare"; from: string; to: string } | { kind: "version"; label: string };

export function VersionsScreen(p: { tree: PlanTree; active: boolean; onRecorded: (t: PlanTree) => void; onOpenProject: (id: string) => void }) {
  const [versions, setVersions] = useState<VersionDto[] | null>(null);
  const [view, setView] = useState<View>({ kind: "list" });

  const load = async () => setVersions((await run(commands.versions(), "版の一覧を読めません")) ?? []);
  useEffect(() => {
    if (p.active) void load();
  }, [p.active, p.tree]);

  const list = versions ?? [];
  const lastLabel = list.at(-1)?.label ?? "";
  const tab = (kind: View["kind"], label: string, disabled = false) => (
    <button
      class={view.kind === kind ? "active" : ""}
      disabled={disabled}
      data-testid={`versions-view-${kind}`}
      onClick={() => {
        if (kind === "list") setView({ kind: "list" });
        if (kind === "compare") setView({ kind: "compare", from: view.kind === "compare" ? view.from : lastLabel, to: view.kind === "compare" ? view.to : NOW });
      }}
    >
      {label}
    </button>
  );

  if (view.kind === "version") {
    return <VersionViewer label={view.label} onClose={() => setView({ kind: "list" })} onCompare={(l) => setView({ kind: "compare", from: l, to: NOW })} />;
  }
  return (
    <section class="page cycle" data-testid="versions">
      <div class="page-head">
        <h2>版・新旧対照表</h2>
        <div class="segmented">
          {tab("list", "版の一覧・記録")}
          {tab("compare", "新旧対照表", list.length === 0)}
        </div>
      </div>
      {view.kind === "list" && (
        <>
          <RecordVersion tree={p.tree} versions={list} onRecorded={async (t) => { p.onRecorded(t); await load(); }} />
          <VersionList
            versions={list}
            current={p.tree.session.info.version}
            onOpen={(label) => setView({ kind: "version", label })}
            onCompare={(label) => setView({ kind: "compare", from: label, to: NOW })}
          />
        </>
      )}
      {view.kind === "compare" && (
        <CompareView versions={list} from={view.from} to={view.to} onChange={(from, to) => setView({ kind: "compare", from, to })} onOpenProject={p.onOpenProject} />
      )}
    </section>
  );
}

function RecordVersion(p: { tree: PlanTree; versions: VersionDto[]; onRecorded: (t: PlanTree) => void | Promise<void> }) {
  const [label, setLabel] = useState("");
  const [date, setDate] = useState("");
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const dept = p.tree.session.mode.kind === "department";
  const suggestion = nextLabel(p.versions.at(-1)?.label ?? "");
  const iso = date ? parseJapaneseDate(date) : null;
  const go = async () => {
    const l = (label || suggestion).trim();
    if (!l || (date && !iso)) return;
    setBusy(true);
    const r = await run(commands.recordVersion(l, iso, note), "版を記録できません");
    setBusy(false);
    if (!r) return;
    notify("success", `版「${r.version.label}」を記録しました（事業 ${r.version.projects} 件）`);
    setLabel("");
    setDate("");
    setNote("");
    await p.onRecorded(r.tree);
  };
  return (
    <div class="card" data-testid="version-record">
      <h3>現在の計画を版として記録</h3>
      <p class="small muted">今の計画の内容をそのまま計画ファイルの中に保存し、計画の版表示（{p.tree.session.info.version || "未設定"}）を新しい版名にします。記録した版はいつでも閲覧でき、新旧対照表の比較元になります。</p>
      <div class="record-grid">
        <label>
          <span>版の名前</span>
          <CommitInput value={label} placeholder={suggestion ? `例：${suggestion}` : "例：第1.1版"} label="版の名前" testid="version-label" onCommit={(v) => setLabel(v.trim())} />
        </label>
        <label>
          <span>発行日（任意）</span>
          <CommitInput value={date} placeholder="例：2023年6月1日" label="発行日" testid="version-date" onCommit={(v) => setDate(v.trim())} />
          <span class={date && !iso ? "err" : "hint"}>{date ? (iso ? japaneseDate(iso) : "日付として読めません") : "西暦・和暦どちらでも"}</span>
        </label>
        <label class="grow">
          <span>備考（改定の内容など、任意）</span>
          <CommitInput value={note} placeholder="例：令和5年度実績を反映、目標値の見直し" label="備考" testid="version-note" onCommit={(v) => setNote(v.trim())} />
        </label>
        <div class="record-go">
          <button class="primary" onClick={go} disabled={busy || dept || !(label || suggestion) || (!!date && !iso)} data-testid="version-record-go">
            {busy ? "記録中…" : `「${label || suggestion || "…"}」として記録`}
          </button>
        </div>
      </div>
      {dept && <p class="small err">版の記録は事務局（DX推進担当）の計画でのみ行えます。</p>}
    </div>
  );
}

function VersionList(p: { versions: VersionDto[]; current: string; onOpen: (label: string) => void; onCompare: (label: string) => void }) {
  return (
    <div class="card" data-testid="version-list">
      <h3>記録した版（{p.versions.length} 件）</h3>
      {p.versions.length === 0 ? (
        <p class="muted small">まだ版は記録されていません。計画を発行・改定したときに記録してください。</p>
      ) : (
        <table class="grid versions">
          <thead>
            <tr><th class="w-label">版</th><th class="w-date">発行日</th><th class="w-date">記録日時</th><th class="w-n">事業数</th><th>備考</th><th class="w-act2"></th></tr>
          </thead>
          <tbody>
            {[...p.versions].reverse().map((v) => (
              <tr data-testid="version-row" data-label={v.label}>
                <td><strong>{v.label}</strong>{v.current && v.label === p.current && <span class="badge ok">現在の版表示</span>}</td>
                <td>{v.issued_on ? japaneseDate(v.issued_on) : "－"}</td>
                <td class="small">{formatDateTime(v.recorded_at)}</td>
                <td class="num">{v.projects}</td>
                <td class="small">{v.note || <span class="muted">－</span>}</td>
                <td class="acts">
                  <button onClick={() => p.onOpen(v.label)} data-testid="version-open">閲覧</button>
                  <button onClick={() => p.onCompare(v.label)} data-testid="version-compare">現在と比較</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
