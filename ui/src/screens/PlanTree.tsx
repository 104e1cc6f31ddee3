// The plan tree: 基本方針 → 施策 → 事業 with display codes, filters and search, virtualised.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { PlanTree, ProjectRow } from "../api";
import { commands, run } from "../api";
import { ask, askChoice, askText } from "../components/Dialog";
import { notify } from "../lib/notify";
import { VirtualList } from "../components/VirtualList";
import { allTags, buildTreeRows, countMatches, EMPTY_FILTER, isFiltering, type Filter, type TreeRow } from "../lib/filters";
import { formatSen } from "../lib/format";
import { startupTiming } from "../lib/timing";

const ROW_HEIGHT = 30;

const STATUS_LABEL: Record<string, string> = { active: "実施中", proposed: "提案", ended: "終了" };

export function statusLabel(s: string): string {
  return STATUS_LABEL[s] ?? s;
}

export function FlagBadge({ flag }: { flag: string }) {
  if (flag === "none") return null;
  return <span class={flag === "最重点" ? "badge top" : "badge prio"}>{flag}</span>;
}

let readyReported = false;

type Outline = (t: PlanTree, select?: string) => void;

/** The office's outline actions on a policy or measure row. */
function outlineActions(kind: "policy" | "measure", id: string, title: string, tree: PlanTree, onOutline: Outline) {
  const what = kind === "policy" ? "基本方針" : "施策";
  /** A measure to another policy (its projects go with it; codes are renumbered). */
  const moveTo = async () => {
    const from = tree.measures.find((m) => m.id === id)?.policy_id;
    const choices = tree.policies.filter((x) => x.id !== from).map((x) => ({ value: x.id, label: `${x.code} ${x.title}` }));
    if (!choices.length) return notify("info", "移せる先の基本方針がありません。");
    const to = await askChoice("施策を別の基本方針へ移す", "移す先の基本方針", choices, "移す", `施策「${title}」を、その事業ごと選んだ基本方針の最後へ移します。番号は付け直します。`);
    if (to === null) return;
    const r = await run(commands.moveMeasureToPolicy(id, to), "施策を移せません");
    if (r) {
      notify("success", `施策「${title}」を移しました。`);
      onOutline(r);
    }
  };
  const rename = async () => {
    const t = await askText(`${what}の名前`, `${what}の名前`, title, "変更する");
    if (t === null) return;
    const r = await run(commands.renameOutlineItem(kind, id, t), "名前を変更できません");
    if (r) onOutline(r);
  };
  const move = async (delta: number) => {
    const r = await run(commands.moveOutlineItem(kind, id, delta), "並べ替えられません");
    if (r) onOutline(r);
  };
  const remove = async () => {
    if (!(await ask(`${what}の削除`, `${what}「${title}」を削除します。`, "削除する", true))) return;
    const r = await run(commands.deleteOutlineItem(kind, id), "削除できません");
    if (r) onOutline(r);
  };
  const add = async () => {
    if (kind === "policy") {
      const t = await askText("施策を追加", `「${title}」に追加する施策の名前`, "", "追加する");
      if (t === null) return;
      const r = await run(commands.addMeasure(id, t), "施策を追加できません");
      if (r) onOutline(r);
    } else {
      const t = await askText("事業を追加", `施策「${title}」に追加する事業の取組名`, "", "追加する");
      if (t === null) return;
      const sheet = await run(commands.createProject(id, t), "事業を追加できません");
      if (!sheet) return;
      const r = await run(commands.planTree());
      if (r) {
        notify("success", `「${sheet.project.title}」（${sheet.code}）を追加しました。`);
        onOutline(r, sheet.project.id);
      }
    }
  };
  const stop = (f: () => unknown) => (e: MouseEvent) => {
    e.stopPropagation();
    void f();
  };
  return (
    <span class="row-actions">
      <button class="link" onClick={stop(add)} data-testid={`add-in-${kind}`} title={kind === "policy" ? "施策を追加" : "事業を追加"}>
        ＋{kind === "policy" ? "施策" : "事業"}
      </button>
      <button class="link more" onClick={stop(rename)} title="名前を変更" aria-label="名前を変更" data-testid={`rename-${kind}`}>名前</button>
      {kind === "measure" && <button class="link more" onClick={stop(moveTo)} title="別の基本方針へ移す" aria-label="別の基本方針へ移す" data-testid="move-measure">移動</button>}
      <button class="link more" onClick={stop(() => move(-1))} title="一つ上へ（番号を付け直します）" aria-label="上へ">↑</button>
      <button class="link more" onClick={stop(() => move(1))} title="一つ下へ（番号を付け直します）" aria-label="下へ">↓</button>
      <button class="link danger more" onClick={stop(remove)} title="削除（空のときだけ）" aria-label="削除" data-testid={`delete-${kind}`}>×</button>
    </span>
  );
}

export function PlanTreePane(p: { tree: PlanTree; selected: string | null; onSelect: (id: string) => void; onOutline?: Outline }) {
  // Without onOutline (a version opened read-only) the tree offers no outline actions.
  const onOutline: Outline = p.onOutline ?? (() => undefined);
  const office = p.tree.session.mode.kind === "office" && p.onOutline !== undefined;
  const addPolicy = async () => {
    const t = await askText("基本方針を追加", "基本方針の名前", "", "追加する", "例：行政サービスのデジタル化");
    if (t === null) return;
    const r = await run(commands.addPolicy(t), "基本方針を追加できません");
    if (r) onOutline(r);
  };
  const [filter, setFilter] = useState<Filter>(EMPTY_FILTER);
  // Projects marked with Ctrl+click / Shift+click (office): moved together to another measure.
  const [marked, setMarked] = useState<string[]>([]);
  const anchor = useRef<string | null>(null);
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());
  const composing = useRef(false);
  const searchRef = useRef<HTMLInputElement>(null);

  const rows: TreeRow[] = useMemo(
    () => buildTreeRows(p.tree.policies, p.tree.measures, p.tree.projects, filter, collapsed),
    [p.tree, filter, collapsed],
  );
  const tags = useMemo(() => allTags(p.tree.projects), [p.tree.projects]);
  const matchCount = useMemo(() => countMatches(p.tree.projects, filter), [p.tree.projects, filter]);
  const ownerUnits = useMemo(() => {
    const used = new Set<string>();
    for (const r of p.tree.projects) for (const u of r.owner_ids) used.add(u);
    return p.tree.units.filter((u) => used.has(u.id)).sort((a, b) => a.name.localeCompare(b.name, "ja"));
  }, [p.tree]);

  useEffect(() => {
    if (!readyReported) {
      readyReported = true;
      requestAnimationFrame(() => {
        document.body.dataset.ready = "1";
        const t = startupTiming;
        const ms = (x: number) => x.toFixed(0);
        const detail = `projects=${p.tree.projects.length}; page: startup asked at ${ms(t.asked)} ms, answered in ${ms(t.answered - t.asked)} ms, tree drawn at ${ms(performance.now())} ms`;
        void commands.uiReady(detail).catch(() => undefined);
      });
    }
  }, []);

  const selIndex = rows.findIndex((r) => r.kind === "project" && r.id === p.selected && !r.secondary);
  const toggle = (id: string) =>
    setCollapsed((c) => {
      const n = new Set(c);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });

  const onKey = (e: KeyboardEvent) => {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    e.preventDefault();
    const step = e.key === "ArrowDown" ? 1 : -1;
    for (let i = selIndex + step; i >= 0 && i < rows.length; i += step) {
      const r = rows[i];
      if (r.kind === "project") {
        p.onSelect(r.id);
        return;
      }
    }
  };

  const visibleProjects = () => rows.filter((r) => r.kind === "project" && !r.secondary).map((r) => r.id);
  const clickProject = (id: string, e: MouseEvent) => {
    if (!office || !(e.ctrlKey || e.metaKey || e.shiftKey)) {
      setMarked([]);
      anchor.current = id;
      p.onSelect(id);
      return;
    }
    e.preventDefault();
    const seed = marked.length ? marked : p.selected ? [p.selected] : [];
    if (e.shiftKey) {
      const ids = visibleProjects();
      const a = ids.indexOf(anchor.current ?? p.selected ?? id);
      const b = ids.indexOf(id);
      const range = a < 0 || b < 0 ? [id] : ids.slice(Math.min(a, b), Math.max(a, b) + 1);
      setMarked([...seed.filter((x) => !range.includes(x)), ...range]);
    } else {
      setMarked(seed.includes(id) ? seed.filter((x) => x !== id) : [...seed, id]);
      anchor.current = id;
    }
  };
  const moveMarked = async () => {
    const ids = visibleProjects().filter((x) => marked.includes(x));
    const choices = p.tree.measures.map((m) => ({ value: m.id, label: `${m.code} ${m.title}` }));
    const to = await askChoice("事業を別の施策へ移す", "移す先の施策", choices, "移す", `選んだ ${ids.length} 件の事業を、選んだ施策の最後へこの順で移します。番号は付け直します。`);
    if (to === null) return;
    const r = await run(commands.moveProjectsToMeasure(ids, to), "事業を移せません");
    if (r) {
      notify("success", `${ids.length} 件の事業を移しました。`);
      setMarked([]);
      onOutline(r, ids[0]);
    }
  };

  const setSearch = (v: string) => setFilter((f) => ({ ...f, query: v }));

  return (
    <section class="tree-pane" aria-label="計画ツリー">
      <div class="filters">
        <input
          ref={searchRef}
          type="search"
          class="search"
          placeholder="検索（事業名・番号・担当課・タグ）"
          aria-label="検索"
          data-testid="tree-search"
          onCompositionStart={() => (composing.current = true)}
          onCompositionEnd={(e) => {
            composing.current = false;
            setSearch((e.currentTarget as HTMLInputElement).value);
          }}
          onInput={(e) => {
            if (!composing.current && !(e as InputEvent).isComposing) setSearch((e.currentTarget as HTMLInputElement).value);
          }}
        />
        <div class="filter-row">
          <select aria-label="担当課" data-testid="filter-department" value={filter.department} onChange={(e) => setFilter({ ...filter, department: e.currentTarget.value })}>
            <option value="">すべての課</option>
            {ownerUnits.map((u) => <option value={u.id}>{u.name}</option>)}
          </select>
          <select aria-label="重点" data-testid="filter-priority" value={filter.priority} onChange={(e) => setFilter({ ...filter, priority: e.currentTarget.value as Filter["priority"] })}>
            <option value="">重点：すべて</option>
            <option value="flagged">重点・最重点</option>
            <option value="最重点">最重点のみ</option>
            <option value="重点">重点のみ</option>
            <option value="none">重点なし</option>
          </select>
        </div>
        <div class="filter-row">
          <select aria-label="状態" data-testid="filter-status" value={filter.status} onChange={(e) => setFilter({ ...filter, status: e.currentTarget.value as Filter["status"] })}>
            <option value="">状態：すべて</option>
            <option value="active">実施中</option>
            <option value="proposed">提案</option>
            <option value="ended">終了</option>
          </select>
          <select aria-label="国の重点取組事項・タグ" data-testid="filter-tag" value={filter.tag} onChange={(e) => setFilter({ ...filter, tag: e.currentTarget.value })}>
            <option value="">タグ：すべて</option>
            {tags.map((t) => <option value={t}>{t}</option>)}
          </select>
        </div>
        <div class="match-count" data-testid="match-count">
          {matchCount.toLocaleString("ja-JP")} / {p.tree.projects.length.toLocaleString("ja-JP")} 事業
          {isFiltering(filter) && (
            <button class="link" onClick={() => { setFilter(EMPTY_FILTER); if (searchRef.current) searchRef.current.value = ""; }}>条件をクリア</button>
          )}
        </div>
      </div>
      <div class="tree-body" tabIndex={0} onKeyDown={onKey}>
        <VirtualList
          items={rows}
          rowHeight={ROW_HEIGHT}
          focusIndex={selIndex}
          testid="plan-tree"
          label="基本方針・施策・事業"
          render={(r) => <TreeRowView row={r} selected={p.selected} marked={marked} onSelect={clickProject} onToggle={toggle} actions={office ? (kind, id, title) => outlineActions(kind, id, title, p.tree, onOutline) : undefined} />}
        />
      </div>
      {p.tree.policies.length === 0 && (
        <div class="tree-empty" data-testid="tree-empty">
          {office ? "基本方針がまだありません。下の「＋ 基本方針を追加」から始めてください。" : "この作業用コピーには事業がありません。"}
        </div>
      )}
      {office && marked.length > 0 && (
        <div class="tree-foot marked-bar" data-testid="marked-bar">
          <span>{marked.length} 件を選択中</span>
          <button class="primary" onClick={() => void moveMarked()} data-testid="move-projects">別の施策へ移す…</button>
          <button onClick={() => setMarked([])} data-testid="clear-marks">選択を解除</button>
        </div>
      )}
      {office && (
        <div class="tree-foot">
          <button onClick={() => void addPolicy()} data-testid="add-policy">＋ 基本方針を追加</button>
          {marked.length === 0 && <span class="muted small tree-tip" title="Ctrl+クリック・Shift+クリックで事業を複数選ぶと、まとめて別の施策へ移せます">Ctrl+クリックで複数選んで移動</span>}
        </div>
      )}
    </section>
  );
}

function TreeRowView(p: {
  row: TreeRow;
  selected: string | null;
  marked: string[];
  onSelect: (id: string, e: MouseEvent) => void;
  onToggle: (id: string) => void;
  actions?: (kind: "policy" | "measure", id: string, title: string) => preact.JSX.Element;
}) {
  const r = p.row;
  if (r.kind === "policy" || r.kind === "measure") {
    return (
      <div
        class={`trow ${r.kind}`}
        role="treeitem"
        aria-expanded={!r.collapsed}
        data-testid={`tree-${r.kind}`}
        onClick={() => p.onToggle(r.id)}
        title={r.title}
      >
        <span class="twisty">{r.collapsed ? "▸" : "▾"}</span>
        <span class="code">{r.code}</span>
        <span class="title">{r.title}</span>
        {p.actions?.(r.kind, r.id, r.title)}
        <span class="count">{r.count}</span>
      </div>
    );
  }
  const row: ProjectRow = r.row as ProjectRow;
  const sel = p.selected === r.id;
  const mark = !r.secondary && p.marked.includes(r.id);
  return (
    <div
      class={`trow project${sel ? " selected" : ""}${mark ? " marked" : ""}${r.secondary ? " secondary" : ""}${row.editable ? "" : " readonly"}`}
      role="treeitem"
      aria-selected={sel}
      data-testid="tree-project"
      data-id={r.id}
      data-code={row.code}
      data-marked={mark ? "1" : undefined}
      onClick={(e) => p.onSelect(r.id, e)}
      title={`${row.code} ${row.title}\n担当: ${row.owners.join("、") || "（なし）"}`}
    >
      <span class="code">{row.code}</span>
      <span class="title">
        {row.title}
        {r.secondary && <span class="muted">（再掲）</span>}
      </span>
      <FlagBadge flag={row.flag} />
      {row.status !== "active" && <span class={`badge status-${row.status}`}>{statusLabel(row.status)}</span>}
      <span class="owners">{row.owners[0] ?? "担当なし"}{row.owners.length > 1 ? ` 他${row.owners.length - 1}` : ""}</span>
      <span class="amount" title="事業費合計（千円）">{formatSen(row.budget_total)}</span>
    </div>
  );
}
