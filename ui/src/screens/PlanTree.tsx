// The plan tree: 基本方針 → 施策 → 事業 with display codes, filters and search, virtualised.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { PlanTree, ProjectRow } from "../api";
import { commands, run } from "../api";
import { ask, askText } from "../components/Dialog";
import { notify } from "../lib/notify";
import { VirtualList } from "../components/VirtualList";
import { allTags, buildTreeRows, countMatches, EMPTY_FILTER, isFiltering, type Filter, type TreeRow } from "../lib/filters";
import { formatSen } from "../lib/format";

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
function outlineActions(kind: "policy" | "measure", id: string, title: string, onOutline: Outline) {
  const what = kind === "policy" ? "基本方針" : "施策";
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
        void commands.uiReady(`projects=${p.tree.projects.length}`).catch(() => undefined);
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
          render={(r) => <TreeRowView row={r} selected={p.selected} onSelect={p.onSelect} onToggle={toggle} actions={office ? (kind, id, title) => outlineActions(kind, id, title, onOutline) : undefined} />}
        />
      </div>
      {p.tree.policies.length === 0 && (
        <div class="tree-empty" data-testid="tree-empty">
          {office ? "基本方針がまだありません。下の「＋ 基本方針を追加」から始めてください。" : "この作業用コピーには事業がありません。"}
        </div>
      )}
      {office && (
        <div class="tree-foot">
          <button onClick={() => void addPolicy()} data-testid="add-policy">＋ 基本方針を追加</button>
        </div>
      )}
    </section>
  );
}

function TreeRowView(p: {
  row: TreeRow;
  selected: string | null;
  onSelect: (id: string) => void;
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
  return (
    <div
      class={`trow project${sel ? " selected" : ""}${r.secondary ? " secondary" : ""}${row.editable ? "" : " readonly"}`}
      role="treeitem"
      aria-selected={sel}
      data-testid="tree-project"
      data-id={r.id}
      data-code={row.code}
      onClick={() => p.onSelect(r.id)}
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
