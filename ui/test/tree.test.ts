import { describe, expect, it } from "vitest";
import type { PackedPlanTree, ProjectRow } from "../src/bindings";
import { unpackTree, unpackTrees } from "../src/lib/tree";

const session = { path: "/p.dxplan", mode: { kind: "office" as const }, info: {} as PackedPlanTree["session"]["info"], fiscal_years: [] };

function packed(): PackedPlanTree {
  return {
    session,
    units: [
      { id: "u1", name: "情報政策課" } as PackedPlanTree["units"][number],
      { id: "u2", name: "市民課" } as PackedPlanTree["units"][number],
    ],
    policies: [],
    measures: [
      { id: "m1", code: "Ⅰ-1", policy_id: "p1", position: 1, title: "施策1", description: "" } as unknown as PackedPlanTree["measures"][number],
      { id: "m2", code: "Ⅱ-1", policy_id: "p2", position: 1, title: "施策2", description: "" } as unknown as PackedPlanTree["measures"][number],
    ],
    rows: {
      names: ["m1", "u1", "自治体DX", "m2", "u2", "u9", "m9"],
      id: ["a", "b", "c"],
      code: ["Ⅰ-1-①", "Ⅱ-1-①", "Ⅰ-1-②"],
      title: ["住民票のオンライン申請", "窓口のキャッシュレス化", "所属不明"],
      measures: [[0], [3, 0], [6]],
      owners: [[1], [4, 1], [5]],
      flag: ["none", "重点", "最重点"],
      status: ["active", "proposed", "ended"],
      tags: [[2], [], [2]],
      budget_total: [1200, null, -5],
      editable: [true, false, true],
    },
  };
}

describe("unpackTree", () => {
  it("makes the rows the shell's project_row makes: policy of the first measure, owners' names", () => {
    const t = unpackTree(packed());
    expect("rows" in t).toBe(false);
    const want: ProjectRow[] = [
      { id: "a", code: "Ⅰ-1-①", title: "住民票のオンライン申請", measure_ids: ["m1"], policy_id: "p1", owner_ids: ["u1"], owners: ["情報政策課"], flag: "none", status: "active", tags: ["自治体DX"], budget_total: 1200, editable: true },
      { id: "b", code: "Ⅱ-1-①", title: "窓口のキャッシュレス化", measure_ids: ["m2", "m1"], policy_id: "p2", owner_ids: ["u2", "u1"], owners: ["市民課", "情報政策課"], flag: "重点", status: "proposed", tags: [], budget_total: null, editable: false },
      // a unit or measure the tree does not list: named as the shell names it
      { id: "c", code: "Ⅰ-1-②", title: "所属不明", measure_ids: ["m9"], policy_id: "", owner_ids: ["u9"], owners: ["（不明な課）"], flag: "最重点", status: "ended", tags: ["自治体DX"], budget_total: -5, editable: true },
    ];
    expect(t.projects).toEqual(want);
    expect(t.units).toEqual(packed().units);
    expect(t.session).toEqual(session);
  });

  it("gives a project without a measure no policy", () => {
    const p = packed();
    p.rows.measures[0] = [];
    expect(unpackTree(p).projects[0].policy_id).toBe("");
  });
});

describe("unpackTrees", () => {
  it("unpacks an answer that is a tree, or has one as a field, and leaves the rest as it is", () => {
    expect(unpackTrees(packed()).projects).toHaveLength(3);
    const done = unpackTrees({ report: { added: 2 }, tree: packed() });
    expect(done.report).toEqual({ added: 2 });
    expect(done.tree.projects.map((r) => r.code)).toEqual(["Ⅰ-1-①", "Ⅱ-1-①", "Ⅰ-1-②"]);
    const none = { tree: null, role: "office", recent: [] };
    expect(unpackTrees(none)).toBe(none);
    const list = [{ id: 1 }];
    expect(unpackTrees(list)).toBe(list);
    expect(unpackTrees("x")).toBe("x");
    expect(unpackTrees(null)).toBe(null);
  });
});
