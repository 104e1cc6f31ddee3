// Plan tree filters (department, priority, status, national tag) and search, and the flat
// row list the virtualised tree draws: 基本方針 → 施策 → 事業.

export type Flag = "none" | "重点" | "最重点";
export type Status = "active" | "proposed" | "ended";

export interface RowLike {
  id: string;
  code: string;
  title: string;
  measure_ids: string[];
  policy_id: string;
  owner_ids: string[];
  owners: string[];
  flag: Flag;
  status: Status;
  tags: string[];
}

export interface PolicyLike {
  id: string;
  code: string;
  title: string;
}

export interface MeasureLike {
  id: string;
  code: string;
  title: string;
  policy_id: string;
}

export interface Filter {
  /** Unit id, or "" for every department. */
  department: string;
  /** "" any, "flagged" 重点 or 最重点, or one flag. */
  priority: "" | "flagged" | Flag;
  status: "" | Status;
  tag: string;
  query: string;
}

export const EMPTY_FILTER: Filter = { department: "", priority: "", status: "", tag: "", query: "" };

export function isFiltering(f: Filter): boolean {
  return f.department !== "" || f.priority !== "" || f.status !== "" || f.tag !== "" || f.query.trim() !== "";
}

/** Roman numerals (Ⅰ…Ⅻ) and circled numbers (①…㊿) are kept: NFKC would turn 「Ⅱ-1-①」 into
 * 「II-1-1」, which contains 「I-1-1」, and codes must stay distinct. */
const KEEP = /[\u2160-\u217F\u2460-\u24FF\u3251-\u325F\u32B1-\u32BF]/;

/** NFKC (full/half width) except for code characters, lower case. */
export function fold(s: string): string {
  let out = "";
  for (const ch of s) out += KEEP.test(ch) ? ch : ch.normalize("NFKC");
  return out.toLowerCase();
}

/** Search normal form: folded, no spaces. */
export function norm(s: string): string {
  return fold(s).replace(/\s+/g, "");
}

/** Every whitespace-separated term must occur in the code, title, owners or tags. */
export function matchesQuery(row: RowLike, query: string): boolean {
  return matchesTerms(row, queryTerms(query));
}

function queryTerms(query: string): string[] {
  return fold(query).split(/\s+/).filter(Boolean);
}

function matchesTerms(row: RowLike, terms: string[]): boolean {
  if (terms.length === 0) return true;
  const hay = norm([row.code, row.title, ...row.owners, ...row.tags].join(" "));
  return terms.every((t) => hay.includes(t));
}

/** The filter as one test of a row, its query folded once (not once per row). */
export function matcher(f: Filter): (row: RowLike) => boolean {
  const terms = queryTerms(f.query);
  return (row) => {
    if (f.department && !row.owner_ids.includes(f.department)) return false;
    if (f.priority === "flagged" && row.flag === "none") return false;
    if (f.priority !== "" && f.priority !== "flagged" && row.flag !== f.priority) return false;
    if (f.status && row.status !== f.status) return false;
    if (f.tag && !row.tags.includes(f.tag)) return false;
    return matchesTerms(row, terms);
  };
}

export function matches(row: RowLike, f: Filter): boolean {
  return matcher(f)(row);
}

export function allTags(rows: RowLike[]): string[] {
  const s = new Set<string>();
  for (const r of rows) for (const t of r.tags) s.add(t);
  return [...s].sort((a, b) => a.localeCompare(b, "ja"));
}

export type TreeRow =
  | { kind: "policy"; id: string; code: string; title: string; count: number; collapsed: boolean }
  | { kind: "measure"; id: string; code: string; title: string; count: number; collapsed: boolean }
  | { kind: "project"; id: string; row: RowLike; measureId: string; secondary: boolean };

/**
 * Flattens the tree for the virtual list. A project sits under its primary measure and is
 * repeated (marked secondary, 「再掲」) under any other measure it belongs to. While filtering,
 * policies and measures without a match are hidden and collapsing is ignored.
 */
export function buildTreeRows(
  policies: PolicyLike[],
  measures: MeasureLike[],
  projects: RowLike[],
  filter: Filter,
  collapsed: ReadonlySet<string>,
): TreeRow[] {
  const filtering = isFiltering(filter);
  const test = matcher(filter);
  const byMeasure = new Map<string, { row: RowLike; secondary: boolean }[]>();
  for (const p of projects) {
    if (filtering && !test(p)) continue;
    p.measure_ids.forEach((mid, i) => {
      let list = byMeasure.get(mid);
      if (!list) byMeasure.set(mid, (list = []));
      list.push({ row: p, secondary: i > 0 });
    });
  }
  const measuresOf = new Map<string, MeasureLike[]>();
  for (const m of measures) {
    let l = measuresOf.get(m.policy_id);
    if (!l) measuresOf.set(m.policy_id, (l = []));
    l.push(m);
  }
  const out: TreeRow[] = [];
  for (const pol of policies) {
    const ms = measuresOf.get(pol.id) ?? [];
    const count = ms.reduce((n, m) => n + (byMeasure.get(m.id)?.filter((x) => !x.secondary).length ?? 0), 0);
    if (filtering && count === 0 && !ms.some((m) => (byMeasure.get(m.id)?.length ?? 0) > 0)) continue;
    const polCollapsed = !filtering && collapsed.has(pol.id);
    out.push({ kind: "policy", id: pol.id, code: pol.code, title: pol.title, count, collapsed: polCollapsed });
    if (polCollapsed) continue;
    for (const m of ms) {
      const items = byMeasure.get(m.id) ?? [];
      if (filtering && items.length === 0) continue;
      const mCollapsed = !filtering && collapsed.has(m.id);
      out.push({ kind: "measure", id: m.id, code: m.code, title: m.title, count: items.length, collapsed: mCollapsed });
      if (mCollapsed) continue;
      for (const it of items) {
        out.push({ kind: "project", id: it.row.id, row: it.row, measureId: m.id, secondary: it.secondary });
      }
    }
  }
  return out;
}

/** Number of projects that pass the filter (each once, however many measures it sits under). */
export function countMatches(projects: RowLike[], f: Filter): number {
  if (!isFiltering(f)) return projects.length;
  const test = matcher(f);
  let n = 0;
  for (const p of projects) if (test(p)) n++;
  return n;
}
