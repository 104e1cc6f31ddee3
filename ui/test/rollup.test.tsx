// @vitest-environment happy-dom
// A roll-up indicator on the project sheet: its values are the computed sums, read-only,
// labelled 合計, with the components named; a typed value that disagrees is pointed out.
import { render } from "preact";
import { describe, expect, it } from "vitest";
import type { Indicator, PlanTree, Project, RollupDto, Value } from "../src/api";
import { IndicatorsSection } from "../src/screens/editor/Indicators";
import { rollupValue } from "../src/screens/editor/Rollup";

const v = (text: string, number: number | null, unit: string | null = "人"): Value => ({ text, number, unit, denominator: null, qualifier: null, markers: [] });

const program: Indicator = {
  id: "kpi-sum",
  kind: "KPI",
  name: "見守り登録者数",
  unit: "人",
  cumulative: false,
  values: [
    { fiscal_year: 2025, target: v("17,800人", 17800), actual: null },
    { fiscal_year: 2026, target: v("18,000人", 18000), actual: null },
  ],
};
const plain: Indicator = { id: "kpi-own", kind: "KPI", name: "自前の指標", unit: null, cumulative: false, values: [] };
const roll: RollupDto = {
  indicator_id: "kpi-sum",
  parts: ["1-②-1 配食：利用者数", "1-②-2 緊急通報：登録者数"],
  computed: [
    { fiscal_year: 2025, target: v("17,800人", 17800), actual: v("12,600人", 12600) },
    { fiscal_year: 2026, target: v("18,200人", 18200), actual: null },
  ],
};

function setup() {
  const project = { id: "p", indicators: [program, plain] } as unknown as Project;
  const tree = { session: { info: { first_fy: 2025, last_fy: 2026 } } } as unknown as PlanTree;
  const root = document.createElement("div");
  document.body.appendChild(root);
  render(<IndicatorsSection project={project} tree={tree} editable={true} apply={async () => true} rollups={[roll]} />, root);
  return root;
}

describe("roll-up indicators on the sheet", () => {
  it("show the sums read-only, labelled 合計, with their components", () => {
    const root = setup();
    const sum = root.querySelector('[data-testid="indicator-0"]') as HTMLElement;
    expect(sum.dataset.rollup).toBe("1");
    expect(sum.querySelector(".badge.rollup")?.textContent).toBe("合計");
    expect(sum.querySelector('[data-testid="rollup-note"]')?.textContent).toContain("1-②-1 配食：利用者数 ＋ 1-②-2 緊急通報：登録者数");
    // the computed values, in outputs, not inputs
    expect(sum.querySelector('[data-testid="ind-0-2025-actual-sum"]')?.textContent).toBe("12,600人");
    expect(sum.querySelector('[data-testid="ind-0-2025-target-sum"]')?.textContent).toBe("17,800人");
    expect(sum.querySelector('[data-testid="ind-0-2025-actual"]')).toBeNull();
    expect(sum.querySelectorAll("tbody input")).toHaveLength(0);
    // 18,000 was typed where the components add up to 18,200
    const cell = sum.querySelector('[data-testid="ind-0-2026-target-sum"]')?.closest("td") as HTMLElement;
    expect(cell.classList.contains("mismatch")).toBe(true);
    expect(cell.textContent).toContain("入力 18,000人");
    // an ordinary indicator stays editable
    const own = root.querySelector('[data-testid="indicator-1"]') as HTMLElement;
    expect(own.dataset.rollup).toBeUndefined();
    expect(own.querySelector('[data-testid="ind-1-2025-actual"]')?.tagName).toBe("INPUT");
  });

  it("a typed value equal to the sum, or none, is not a mismatch", () => {
    expect(rollupValue(roll, program, 2025, "target")).toEqual({ shown: "17,800人", typed: null });
    expect(rollupValue(roll, program, 2026, "actual")).toEqual({ shown: "－", typed: null });
    expect(rollupValue(roll, program, 2026, "target").typed).toBe("18,000人");
  });
});
