import { describe, expect, it } from "vitest";
import { allTags, buildTreeRows, countMatches, EMPTY_FILTER, matches, type RowLike } from "../src/lib/filters";

const policies = [
  { id: "P1", code: "Ⅰ", title: "市民サービスのDX" },
  { id: "P2", code: "Ⅱ", title: "行政運営のDX" },
];
const measures = [
  { id: "M1", code: "Ⅰ-1", title: "行政手続のオンライン化", policy_id: "P1" },
  { id: "M2", code: "Ⅰ-2", title: "窓口のDX", policy_id: "P1" },
  { id: "M3", code: "Ⅱ-1", title: "業務効率化", policy_id: "P2" },
];
function row(id: string, over: Partial<RowLike>): RowLike {
  return { id, code: "", title: id, measure_ids: ["M1"], policy_id: "P1", owner_ids: ["U1"], owners: ["デジタル推進課"], flag: "none", status: "active", tags: [], ...over };
}
const projects = [
  row("a", { code: "Ⅰ-1-①", title: "オンライン申請の拡充", flag: "重点", tags: ["重点取組事項①"] }),
  row("b", { code: "Ⅰ-2-①", title: "書かない窓口", measure_ids: ["M2", "M3"], owner_ids: ["U2"], owners: ["市民課"] }),
  row("c", { code: "Ⅱ-1-①", title: "ＲＰＡの導入", measure_ids: ["M3"], policy_id: "P2", status: "ended", flag: "最重点", tags: ["重点取組事項④"] }),
];

describe("filters", () => {
  it("filters by department, priority, status and tag", () => {
    expect(matches(projects[1], { ...EMPTY_FILTER, department: "U2" })).toBe(true);
    expect(matches(projects[0], { ...EMPTY_FILTER, department: "U2" })).toBe(false);
    expect(countMatches(projects, { ...EMPTY_FILTER, priority: "flagged" })).toBe(2);
    expect(countMatches(projects, { ...EMPTY_FILTER, priority: "最重点" })).toBe(1);
    expect(countMatches(projects, { ...EMPTY_FILTER, status: "ended" })).toBe(1);
    expect(countMatches(projects, { ...EMPTY_FILTER, tag: "重点取組事項①" })).toBe(1);
  });

  it("searches code, title, owners and tags, width- and case-insensitively", () => {
    expect(countMatches(projects, { ...EMPTY_FILTER, query: "rpa" })).toBe(1);
    expect(countMatches(projects, { ...EMPTY_FILTER, query: "市民課" })).toBe(1);
    expect(countMatches(projects, { ...EMPTY_FILTER, query: "Ⅰ-1-①" })).toBe(1);
    expect(countMatches(projects, { ...EMPTY_FILTER, query: "オンライン 拡充" })).toBe(1);
    expect(countMatches(projects, { ...EMPTY_FILTER, query: "オンライン 窓口" })).toBe(0);
  });

  it("counts what the tree shows, a blank query (full-width spaces too) filtering nothing", () => {
    for (const query of ["", "　 ", "rpa", "オンライン 拡充", "課"]) {
      const f = { ...EMPTY_FILTER, query };
      const shown = buildTreeRows(policies, measures, projects, f, new Set()).filter((r) => r.kind === "project" && !r.secondary);
      expect(countMatches(projects, f)).toBe(shown.length);
      expect(projects.filter((p) => matches(p, f)).length).toBe(shown.length);
    }
    expect(countMatches(projects, { ...EMPTY_FILTER, query: "　 " })).toBe(3);
  });

  it("lists tags once, sorted", () => {
    expect(allTags(projects)).toEqual(["重点取組事項①", "重点取組事項④"]);
  });
});

describe("tree rows", () => {
  it("nests policies, measures and projects, repeating a project under its second measure", () => {
    const rows = buildTreeRows(policies, measures, projects, EMPTY_FILTER, new Set());
    expect(rows.map((r) => `${r.kind}:${r.id}`)).toEqual([
      "policy:P1", "measure:M1", "project:a", "measure:M2", "project:b",
      "policy:P2", "measure:M3", "project:b", "project:c",
    ]);
    const repeated = rows.filter((r) => r.kind === "project" && r.id === "b");
    expect(repeated.map((r) => r.kind === "project" && r.secondary)).toEqual([false, true]);
    expect(rows[0].kind === "policy" && rows[0].count).toBe(2);
  });

  it("collapses policies and measures", () => {
    const rows = buildTreeRows(policies, measures, projects, EMPTY_FILTER, new Set(["P1", "M3"]));
    expect(rows.map((r) => r.id)).toEqual(["P1", "P2", "M3"]);
  });

  it("hides branches without matches while filtering, and ignores collapsing", () => {
    const rows = buildTreeRows(policies, measures, projects, { ...EMPTY_FILTER, query: "RPA" }, new Set(["P2"]));
    expect(rows.map((r) => r.id)).toEqual(["P2", "M3", "c"]);
  });

  it("builds 10,000 rows quickly", () => {
    const many: RowLike[] = [];
    for (let i = 0; i < 10_000; i++) many.push(row(`p${i}`, { measure_ids: [measures[i % 3].id], policy_id: measures[i % 3].policy_id, title: `事業${i}` }));
    const t0 = performance.now();
    const rows = buildTreeRows(policies, measures, many, { ...EMPTY_FILTER, query: "事業99" }, new Set());
    const ms = performance.now() - t0;
    expect(rows.filter((r) => r.kind === "project").length).toBe(111);
    expect(ms).toBeLessThan(200);
  });
});
