import { describe, expect, it } from "vitest";
import { fieldLabel, kindLabel, valueText } from "../src/lib/fields";

describe("change-log labels", () => {
  const names = new Map([["i1", "オンライン手続数"], ["t1", "システム構築"]]);
  it("names every kind of field in Japanese", () => {
    expect(fieldLabel("texts.summary")).toBe("概要");
    expect(fieldLabel("indicator/i1/2023/actual", names)).toBe("指標「オンライン手続数」 2023年度（令和5年度） 実績");
    expect(fieldLabel("indicator/i1", names)).toBe("指標「オンライン手続数」の定義");
    expect(fieldLabel("budget/2024/planned")).toBe("事業費 2024年度（令和6年度）");
    expect(fieldLabel("budget/2024/general_revenue")).toBe("うち一般財源 2024年度（令和6年度）");
    expect(fieldLabel("task/t1", names)).toBe("工程「システム構築」");
    expect(fieldLabel("task/zz", names)).toBe("工程");
    expect(kindLabel("local_edit")).toBe("編集");
  });
  it("shows values as text", () => {
    expect(valueText(null)).toBe("（なし）");
    expect(valueText('"書かない窓口"')).toBe("書かない窓口");
    expect(valueText('{"text":"40 手続","number":40}')).toBe("40 手続");
    expect(valueText("4000")).toBe("4000");
    expect(valueText('["a","b"]')).toBe("a、b");
  });
});
