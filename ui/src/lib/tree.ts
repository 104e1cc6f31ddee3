// The plan tree as the screens use it: the shell sends its project rows packed, column by
// column with ids and tags by index (`TreeRows`, 10,000 projects in about a third of the JSON
// of one object per row); here they become `ProjectRow`s, with each row's policy (that of its
// first measure) and its owners' names looked up as the shell's `views::project_row` does.
import type { PackedPlanTree, ProjectRow } from "../bindings";

/** The plan tree of the screens: `projects` are whole rows. */
export type PlanTree = Omit<PackedPlanTree, "rows"> & { projects: ProjectRow[] };

/** `T` with every packed tree (itself or one of its fields) unpacked. */
export type Unpacked<T> = T extends PackedPlanTree
  ? PlanTree
  : { [K in keyof T]: PackedPlanTree extends T[K] ? Exclude<T[K], PackedPlanTree> | PlanTree : T[K] };

const UNKNOWN_UNIT = "（不明な課）";

export function unpackTree(t: PackedPlanTree): PlanTree {
  const { rows: r, ...rest } = t;
  const unitName = new Map(t.units.map((u) => [u.id, u.name]));
  const policyOf = new Map(t.measures.map((m) => [m.id, m.policy_id]));
  const names = r.names;
  const projects: ProjectRow[] = new Array(r.id.length);
  for (let i = 0; i < r.id.length; i++) {
    const measure_ids = r.measures[i].map((k) => names[k]);
    const owner_ids = r.owners[i].map((k) => names[k]);
    projects[i] = {
      id: r.id[i],
      code: r.code[i],
      title: r.title[i],
      measure_ids,
      policy_id: (measure_ids.length ? policyOf.get(measure_ids[0]) : undefined) ?? "",
      owner_ids,
      owners: owner_ids.map((u) => unitName.get(u) ?? UNKNOWN_UNIT),
      flag: r.flag[i],
      status: r.status[i],
      tags: r.tags[i].map((k) => names[k]),
      budget_total: r.budget_total[i],
      editable: r.editable[i],
    };
  }
  return { ...rest, projects };
}

function isPacked(v: unknown): v is PackedPlanTree {
  return typeof v === "object" && v !== null && "rows" in v && "session" in v && "measures" in v;
}

/** A command's answer with its tree unpacked: the answer itself, or one of its fields (`tree`). */
export function unpackTrees<T>(v: T): Unpacked<T> {
  if (isPacked(v)) return unpackTree(v) as Unpacked<T>;
  if (typeof v !== "object" || v === null || Array.isArray(v)) return v as Unpacked<T>;
  let out: Record<string, unknown> | null = null;
  for (const [k, x] of Object.entries(v)) {
    if (isPacked(x)) {
      out ??= { ...(v as Record<string, unknown>) };
      out[k] = unpackTree(x);
    }
  }
  return (out ?? v) as Unpacked<T>;
}
