// 照会 (DX office): start a round (every department's workbook into one folder), see per
// department who has answered (記入者・連絡先・連絡事項, changes applied, conflicts, refused) or is
// late, merge every answer of a folder at once, and copy the 督促 drafts for the rest. Each
// department's answer opens in the merge inbox.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import {
  commands,
  run,
  type DepartmentStatusDto,
  type MergeReportDto,
  type PickedFile,
  type PlanTree,
  type Reminder,
  type RoundCandidates,
  type RoundDto,
  type RoundStatusDto,
  type SubmissionMergeDto,
} from "../api";
import { CommitInput } from "../components/CommitInput";
import { copyText } from "../lib/clipboard";
import { baseName, deadlineText, defaultFiscalYear, fiscalYearOf, japaneseDate, joinReminders, parseJapaneseDate, sameFolder, suggestRoundTitle } from "../lib/cycle";
import { formatDateTime, fyBoth, range } from "../lib/format";
import { shownPath } from "../lib/files";
import { notify } from "../lib/notify";
import "./cycle.css";

export function RoundsScreen(p: { tree: PlanTree; active: boolean; onMerged: (t: PlanTree) => void; onOpenInInbox: (files: PickedFile[]) => void }) {
  const [rounds, setRounds] = useState<RoundDto[] | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [starting, setStarting] = useState(false);
  const [status, setStatus] = useState<RoundStatusDto | null>(null);
  const [reminders, setReminders] = useState<Reminder[]>([]);
  const [folder, setFolder] = useState<{ dir: PickedFile; report: MergeReportDto } | null>(null);
  const [busy, setBusy] = useState("");

  const loadRounds = async () => {
    const list = (await run(commands.rounds(), "照会の一覧を読めません")) ?? [];
    setRounds(list);
    setSelected((id) => (id !== null && list.some((r) => r.id === id) ? id : list.at(-1)?.id ?? null));
    if (list.length === 0) setStarting(true);
  };
  const loadStatus = async (id: number | null) => {
    if (id === null) {
      setStatus(null);
      setReminders([]);
      return;
    }
    setStatus((await run(commands.roundStatus(id, null), "回答状況を読めません")) ?? null);
    setReminders((await run(commands.roundReminders(id, null))) ?? []);
  };

  useEffect(() => {
    if (p.active) void loadRounds();
  }, [p.active, p.tree]);
  useEffect(() => {
    setFolder(null);
    void loadStatus(selected);
  }, [selected, p.tree]);

  const started = async (r: RoundDto) => {
    setStarting(false);
    await loadRounds();
    setSelected(r.id);
  };

  const scanFolder = async () => {
    const round = status?.round;
    const dir = await run(commands.pickFolder("answers"), "フォルダーを選べません");
    if (!dir) return;
    if (round && sameFolder(shownPath(dir), round.dir)) {
      notify("error", "このフォルダーは照会のブックを書き出したフォルダーです。未記入のブックも回答として数えられてしまうため、返送された回答は別のフォルダーに保存して選んでください。");
      return;
    }
    setBusy("フォルダーの回答を確認中…");
    const report = await run(commands.mergePreview([dir.handle]), "回答を読めません");
    setBusy("");
    if (report) setFolder({ dir, report });
  };

  const mergeFolder = async () => {
    if (!folder) return;
    setBusy("フォルダーの回答を統合中…");
    const r = await run(commands.mergeApply([folder.dir.handle]), "統合できません");
    setBusy("");
    if (!r) return;
    setFolder(null);
    notify("success", `フォルダーの回答 ${r.submissions.length} 件を統合しました：適用 ${r.applied} 項目、修正が重なった項目 ${r.conflicts} 件、反映できなかった項目 ${r.refused} 件`);
    const t = await run(commands.planTree());
    if (t) p.onMerged(t);
    else await loadStatus(selected);
  };

  const round = rounds?.find((r) => r.id === selected) ?? null;
  return (
    <section class="page cycle" data-testid="rounds">
      <div class="page-head">
        <h2>照会（一斉照会・回答状況・督促）</h2>
        <div class="actions tight">
          {rounds && rounds.length > 0 && (
            <select aria-label="照会" data-testid="round-select" value={selected ?? ""} onChange={(e) => { setStarting(false); setSelected(Number(e.currentTarget.value)); }}>
              {[...rounds].reverse().map((r) => <option value={r.id}>#{r.id} {r.title}</option>)}
            </select>
          )}
          <button class={starting ? "" : "primary"} onClick={() => setStarting((s) => !s)} data-testid="round-new" disabled={!!busy}>
            {starting ? "開始をやめる" : "新しい照会を始める…"}
          </button>
        </div>
      </div>
      {starting && <StartRound tree={p.tree} rounds={rounds ?? []} onStarted={started} />}
      {busy && <div class="progress"><div class="progress-bar indeterminate" /><span>{busy}</span></div>}
      {!starting && round && status && (
        <>
          <StatusHead status={status} />
          <div class="card" data-testid="round-folder">
            <div class="card-head">
              <h3>回答の統合</h3>
              <div class="actions tight">
                <button onClick={scanFolder} disabled={!!busy} data-testid="round-scan">回答フォルダーを選ぶ…</button>
                {folder && (
                  <button class="primary" onClick={mergeFolder} disabled={!!busy || folder.report.submissions.every((s) => s.already_merged)} data-testid="round-merge-all">
                    このフォルダーの回答をすべて統合（{folder.report.submissions.length} 件）
                  </button>
                )}
              </div>
            </div>
            {folder ? (
              <FolderAnswers folder={folder} status={status} onOpen={(f) => p.onOpenInInbox([f])} />
            ) : (
              <p class="muted small">各課から返送された回答（.xlsx）を 1 つのフォルダーに保存して選ぶと、どの課の回答か・何が変わるかを確かめてから一度に統合できます（書き出したブックのフォルダーとは別にしてください）。</p>
            )}
          </div>
          <Departments status={status} folder={folder?.report ?? null} onOpen={(f) => p.onOpenInInbox([f])} />
          <Reminders round={round} reminders={reminders} />
        </>
      )}
      {!starting && rounds && rounds.length === 0 && <p class="muted">まだ照会はありません。</p>}
    </section>
  );
}

function StartRound(p: { tree: PlanTree; rounds: RoundDto[]; onStarted: (r: RoundDto) => void }) {
  const info = p.tree.session.info;
  const [fy, setFy] = useState<number>(() => defaultFiscalYear(fiscalYearOf(new Date()), info.first_fy, info.last_fy));
  const [cands, setCands] = useState<RoundCandidates | null>(null);
  const [checked, setChecked] = useState<Set<string>>(new Set());
  const [title, setTitle] = useState("");
  const [deadline, setDeadline] = useState("");
  const [dir, setDir] = useState<PickedFile | null>(null);
  const [busy, setBusy] = useState(false);
  const suggested = useRef("");

  useEffect(() => {
    (async () => {
      const c = await run(commands.roundCandidates(fy), "課の一覧を読めません");
      if (!c) return;
      setCands(c);
      setChecked(new Set(c.departments.map((d) => d.unit_id)));
      // a title typed by the person stays; the suggestion follows the year
      const next = suggestRoundTitle(fy, p.rounds);
      setTitle((t) => (!t || t === suggested.current ? next : t));
      suggested.current = next;
    })();
  }, [fy]);

  const iso = parseJapaneseDate(deadline);
  const all = cands?.departments ?? [];
  // 部 review: a 部 of the chosen 課 gathers their answers before the office
  const [reviewers, setReviewers] = useState<Set<string>>(new Set());
  const chosen = all.filter((d) => checked.has(d.unit_id));
  const ready = !!title.trim() && !!iso && !!dir && chosen.length > 0 && !busy;

  const pickDir = async () => {
    const d = await run(commands.pickFolder("round_output"), "フォルダーを選べません");
    if (d) setDir(d);
  };
  const go = async () => {
    if (!ready || !iso || !dir) return;
    setBusy(true);
    const r = await run(
      commands.startRound({
        title: title.trim(),
        deadline: iso,
        fiscal_year: fy,
        // every department: let the core ask whoever owns a project that year
        departments: chosen.length === all.length ? [] : chosen.map((d) => d.name),
        reviewers: [...reviewers].filter((b) => chosen.some((d) => d.parent === b)),
        dir: dir.handle,
      }),
      "照会を始められません",
    );
    setBusy(false);
    if (!r) return;
    notify("success", `照会「${r.round.title}」を始めました：${r.workbooks.length} 課のブックを書き出しました`);
    p.onStarted(r.round);
  };

  const toggle = (id: string) =>
    setChecked((c) => {
      const n = new Set(c);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });

  return (
    <div class="card" data-testid="round-start">
      <h3>新しい照会を始める</h3>
      <p class="small muted">選んだ課ごとに課別ブック（表紙に照会名・提出期限・DX推進員、入力欄に記入者・連絡先・連絡事項）を 1 つのフォルダーへ書き出し、照会として記録します。</p>
      <div class="start-grid">
        <label>
          <span>照会名</span>
          <CommitInput value={title} label="照会名" testid="round-title" onCommit={(v) => setTitle(v.trim())} />
        </label>
        <label>
          <span>提出期限</span>
          <CommitInput value={deadline} label="提出期限" placeholder="例：2027年1月29日" testid="round-deadline" onCommit={(v) => setDeadline(v.trim())} />
          <span class={deadline && !iso ? "err" : "hint"} data-testid="round-deadline-read">
            {deadline ? (iso ? japaneseDate(iso) : "日付として読めません（例：2027-01-29、令和9年1月29日）") : "西暦・和暦どちらでも"}
          </span>
        </label>
        <label>
          <span>年度（照会する実績・進捗の年度）</span>
          <select value={fy} onChange={(e) => setFy(Number(e.currentTarget.value))} data-testid="round-fy">
            {range(info.first_fy, info.last_fy).map((y) => <option value={y}>{fyBoth(y)}</option>)}
          </select>
        </label>
        <label>
          <span>書き出し先フォルダー</span>
          <div class="pick-row">
            <input type="text" readOnly value={dir ? shownPath(dir) : ""} placeholder="未選択" title={dir ? shownPath(dir) : undefined} data-testid="round-dir" />
            <button onClick={pickDir} data-testid="round-pick-dir">選ぶ…</button>
          </div>
        </label>
      </div>
      <div class="dept-pick">
        <div class="dept-pick-head">
          <span class="label">照会する課（{chosen.length} / {all.length}）{cands && `：${cands.fiscal_year.both}に事業を担当する課`}</span>
          <button class="link" onClick={() => setChecked(new Set(all.map((d) => d.unit_id)))}>すべて選ぶ</button>
          <button class="link" onClick={() => setChecked(new Set())}>すべて外す</button>
        </div>
        <div class="dept-checks" data-testid="round-departments">
          {all.map((d) => (
            <label class="check" title={d.parent ?? ""}>
              <input type="checkbox" checked={checked.has(d.unit_id)} onChange={() => toggle(d.unit_id)} data-testid="round-dept" data-name={d.name} />
              {d.name}
              {d.parent && <span class="muted small">（{d.parent}）</span>}
            </label>
          ))}
        </div>
      </div>
      {parents(chosen).length > 0 && (
        <div class="dept-pick">
          <div class="dept-pick-head">
            <span class="label">部で取りまとめる（任意）：選んだ部には、その部の課の回答を取りまとめて 1 つにして返すためのブックも書き出します</span>
          </div>
          <div class="dept-checks" data-testid="round-reviewers">
            {parents(chosen).map((b) => (
              <label class="check">
                <input
                  type="checkbox"
                  checked={reviewers.has(b)}
                  onChange={() => setReviewers((r) => { const n = new Set(r); if (n.has(b)) n.delete(b); else n.add(b); return n; })}
                  data-testid="round-reviewer"
                  data-name={b}
                />
                {b}
              </label>
            ))}
          </div>
        </div>
      )}
      <div class="actions">
        <button class="primary" onClick={go} disabled={!ready} data-testid="round-start-go">
          {busy ? "書き出し中…" : `照会を始める（${chosen.length} 課のブックを書き出す）`}
        </button>
        {!dir && <span class="small muted">書き出し先フォルダーを選んでください。</span>}
      </div>
    </div>
  );
}

/** The 部 of the given 課, once each, in order of first appearance. */
function parents(ds: { parent: string | null }[]): string[] {
  return [...new Set(ds.map((d) => d.parent).filter((x): x is string => !!x))];
}

function StatusHead({ status }: { status: RoundStatusDto }) {
  const r = status.round;
  const t = status.totals;
  const late = status.days_to_deadline < 0;
  return (
    <div class="card round-head" data-testid="round-status">
      <div class="round-title">
        <strong data-testid="round-title-shown">{r.title}</strong>
        <span class="muted">{r.fiscal_year.both}</span>
        <span>提出期限 {r.deadline_label}</span>
        <span class={`badge ${late ? "late" : status.days_to_deadline <= 3 ? "soon" : "ok"}`} data-testid="round-days">{deadlineText(status.days_to_deadline)}</span>
        <span class="muted small">（{status.as_of.replace(/-/g, "/")} 現在）</span>
      </div>
      <div class="summary-chips" data-testid="round-totals">
        <span class="chip">照会 {t.departments} 課</span>
        <span class="chip ok">回答済み {t.answered + t.answered_via} 課{t.answered_via ? `（部で取りまとめ ${t.answered_via}）` : ""}</span>
        <span class={`chip${t.outstanding ? " warn" : ""}`}>未回答 {t.outstanding} 課</span>
        {t.late > 0 && <span class="chip late">遅れ {t.late} 課</span>}
        <span class="chip">反映 {t.changes_applied} 項目</span>
        <span class={`chip${t.conflicts_open ? " warn" : ""}`}>未解決の修正が重なった項目 {t.conflicts_open} 件</span>
        {t.fields_refused > 0 && <span class="chip warn">反映できなかった項目 {t.fields_refused} 件</span>}
      </div>
      <div class="small muted" title={r.dir}>書き出し先：{r.dir}</div>
    </div>
  );
}

/** What the department's state cell says: the state, through a 部, late. */
function StateCell({ d, pending }: { d: DepartmentStatusDto; pending: SubmissionMergeDto | undefined }) {
  const cls = d.state === "outstanding" ? (d.late ? "late" : "none") : "done";
  return (
    <td class="state">
      <span class={`badge ${cls}`}>{d.state_label}</span>
      {d.days_late !== null && <span class="badge late" data-testid="dept-late">{d.state === "outstanding" ? `${d.days_late} 日遅れ` : `${d.days_late} 日遅れて回答`}</span>}
      {pending && !pending.already_merged && <div class="small pending">フォルダーに回答あり（未統合）</div>}
    </td>
  );
}

function Departments(p: { status: RoundStatusDto; folder: MergeReportDto | null; onOpen: (file: PickedFile) => void }) {
  const pendingOf = (d: DepartmentStatusDto) => p.folder?.submissions.find((s) => s.export_id === d.export_id);
  return (
    <div class="card" data-testid="round-departments-status">
      <h3>課ごとの回答状況</h3>
      <table class="grid rounds">
        <thead>
          <tr>
            <th class="w-dept">課（部）</th>
            <th class="w-state">状態</th>
            <th class="w-date">回答日</th>
            <th>記入者・連絡先・連絡事項</th>
            <th class="w-n">反映</th>
            <th class="w-n" title="修正が重なった項目">重なり</th>
            <th class="w-n" title="反映できなかった項目">反映不可</th>
            <th class="w-act"></th>
          </tr>
        </thead>
        <tbody>
          {p.status.departments.map((d) => {
            const last = d.answers.at(-1);
            const pending = pendingOf(d);
            const openFile = pending?.pick ?? last?.pick ?? null;
            return (
              <tr data-testid="round-dept-row" data-department={d.department} data-state={d.state} class={d.late ? "is-late" : ""}>
                <td>
                  <div class="dept-name">{d.department}</div>
                  <div class="muted small">{[d.parent, d.reviewed_by ? `${d.reviewed_by}で取りまとめ` : null].filter(Boolean).join("・")}{d.projects ? `　事業 ${d.projects} 件` : ""}</div>
                </td>
                <StateCell d={d} pending={pending} />
                <td class="small">{d.answered_at ? formatDateTime(d.answered_at) : "－"}</td>
                <td class="who">
                  {last ? (
                    <>
                      <div>{last.respondent || "（記入者なし）"}　<span class="muted">{last.contact}</span>{d.answers.length > 1 && <span class="muted small">（回答 {d.answers.length} 回）</span>}</div>
                      {last.remarks && <div class="remarks small" title={last.remarks}>連絡事項：{last.remarks}</div>}
                      {last.gathered.length > 0 && <div class="small muted">取りまとめ：{last.gathered.join("・")}</div>}
                    </>
                  ) : d.via ? (
                    <div>{d.via.department}経由　{d.via.respondent}　<span class="muted">{d.via.contact}</span></div>
                  ) : d.contact ? (
                    <div class="muted">担当 {d.contact.name || "（氏名なし）"} {d.contact.contact}（{d.contact.source}）</div>
                  ) : (
                    <span class="muted">－</span>
                  )}
                </td>
                <td class="num">{d.state === "outstanding" ? "－" : d.changes_applied}</td>
                <td class={`num${d.conflicts_open ? " warn" : ""}`}>{d.state === "outstanding" ? "－" : d.conflicts_open}</td>
                <td class="num">{d.state === "outstanding" ? "－" : d.fields_refused}</td>
                <td>
                  {openFile && (
                    <button class="link" onClick={() => p.onOpen(openFile)} title={shownPath(openFile)} data-testid="round-open-inbox">受信箱で開く</button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function FolderAnswers(p: { folder: { dir: PickedFile; report: MergeReportDto }; status: RoundStatusDto; onOpen: (file: PickedFile) => void }) {
  const ids = new Set(p.status.departments.map((d) => d.export_id));
  const r = p.folder.report;
  return (
    <div data-testid="round-folder-answers">
      <div class="small muted" title={shownPath(p.folder.dir)}>フォルダー：{shownPath(p.folder.dir)}</div>
      <div class="summary-chips">
        <span class="chip">回答 {r.submissions.length} 件</span>
        <span class="chip">適用される変更 {r.applied} 項目</span>
        <span class={`chip${r.conflicts ? " warn" : ""}`}>修正が重なった項目 {r.conflicts} 件</span>
        {r.refused > 0 && <span class="chip warn">反映できなかった項目 {r.refused} 件</span>}
        {r.already_merged > 0 && <span class="chip">統合済み {r.already_merged} 件</span>}
      </div>
      <table class="grid rounds compact">
        <tbody>
          {r.submissions.map((s) => {
            const n = s.projects.reduce((a, pm) => [a[0] + pm.applied.length, a[1] + pm.conflicts.length, a[2] + pm.refused.length], [0, 0, 0]);
            return (
              <tr data-testid="round-folder-file">
                <td class="w-dept">{s.department}{!ids.has(s.export_id) && <span class="small muted">（他の照会・個別の書き出し）</span>}</td>
                <td title={s.file}>{baseName(s.file)}</td>
                <td class="small">{s.already_merged ? "統合済み（変更なし）" : `適用 ${n[0]}・修正が重なった項目 ${n[1]}・反映できなかった項目 ${n[2]}`}</td>
                <td class="w-act">{s.pick && <button class="link" onClick={() => s.pick && p.onOpen(s.pick)}>受信箱で開く</button>}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function Reminders(p: { round: RoundDto; reminders: Reminder[] }) {
  const [open, setOpen] = useState<string | null>(null);
  const list = p.reminders;
  const all = useMemo(() => joinReminders(list), [list]);
  const copy = async (text: string, what: string) => {
    await copyText(text);
    notify("success", `${what}の督促文をコピーしました。メールに貼り付けて送れます。`);
  };
  const writeList = async () => {
    const path = await run(commands.pickSavePath("save_workbook", `${p.round.title}_督促一覧.xlsx`));
    if (!path) return;
    const out = await run(commands.writeRoundReminders(p.round.id, null, path.handle), "書き出せません");
    if (out) notify("success", `督促一覧を書き出しました：${baseName(out)}`);
  };
  return (
    <div class="card" data-testid="round-reminders">
      <div class="card-head">
        <h3>未回答の課と督促文（{list.length} 課）</h3>
        {list.length > 0 && (
          <div class="actions tight">
            <button onClick={() => void copy(all, `${list.length} 課分`)} data-testid="remind-copy-all">すべての督促文をコピー</button>
            <button onClick={writeList} data-testid="remind-write">督促一覧を書き出す（Excel）…</button>
          </div>
        )}
      </div>
      {list.length === 0 ? (
        <p class="muted small">未回答の課はありません。</p>
      ) : (
        <table class="grid rounds remind">
          <thead>
            <tr><th class="r-dept">課</th><th class="r-late">遅れ</th><th class="r-to">宛先（担当者・連絡先）</th><th>督促文（案）</th><th class="r-act"></th></tr>
          </thead>
          <tbody>
            {list.map((l) => (
              <tr data-testid="remind-row" data-department={l.department}>
                <td>{l.department}{l.reviewed_by && <div class="small muted">{l.reviewed_by}で取りまとめ</div>}</td>
                <td>{l.days_late > 0 ? <span class="badge late">{l.days_late} 日遅れ</span> : <span class="small muted">期限前</span>}</td>
                <td class="small">
                  {l.name ? `${l.name}　${l.contact}` : <span class="muted">連絡先不明（名簿・前回の回答なし）</span>}
                  {l.name && <div class="muted">出典：{l.contact_source}</div>}
                </td>
                <td class="msg">
                  {open === l.department ? (
                    <textarea readOnly rows={7} value={l.message} data-testid="remind-text" />
                  ) : (
                    <button class="link preview" onClick={() => setOpen(l.department)} title="全文を表示">{l.message.split("\n")[3] ?? l.message}</button>
                  )}
                </td>
                <td><button onClick={() => void copy(l.message, l.department)} data-testid="remind-copy">コピー</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
