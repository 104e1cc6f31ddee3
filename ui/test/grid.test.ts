import { describe, expect, it } from "vitest";
import { parseClipboardTable, target } from "../src/lib/grid";

describe("a block copied from Excel", () => {
  it("a row: cells split at tabs, Excel's final newline is no row", () => {
    expect(parseClipboardTable("10%\t25%\t40%\r\n")).toEqual([["10%", "25%", "40%"]]);
  });
  it("rows and empty cells", () => {
    expect(parseClipboardTable("40 手続\t\t88 手続\n35 手続\t50 手続\t\n")).toEqual([
      ["40 手続", "", "88 手続"],
      ["35 手続", "50 手続", ""],
    ]);
  });
  it("a quoted cell keeps its newline, tab and doubled quotes", () => {
    expect(parseClipboardTable('"一行目\n二行目"\t"a\tb"\t"「""引用""」"\n')).toEqual([["一行目\n二行目", "a\tb", '「"引用"」']]);
  });
  it("one value is one cell (an ordinary paste)", () => {
    expect(parseClipboardTable("4,000")).toEqual([["4,000"]]);
    expect(parseClipboardTable("")).toEqual([[""]]);
  });
});

describe("moving between cells", () => {
  const cells = [0, 1].flatMap((row) => [0, 1, 2, 3].map((col) => ({ row, col })));
  it("down, up, left and right to the neighbour; none past the edge", () => {
    expect(target(cells, { row: 0, col: 1 }, "down")).toEqual({ row: 1, col: 1 });
    expect(target(cells, { row: 1, col: 1 }, "up")).toEqual({ row: 0, col: 1 });
    expect(target(cells, { row: 0, col: 1 }, "right")).toEqual({ row: 0, col: 2 });
    expect(target(cells, { row: 0, col: 0 }, "left")).toBeNull();
    expect(target(cells, { row: 1, col: 3 }, "down")).toBeNull();
  });
  it("skips a missing cell (a disabled one) to the next", () => {
    const gap = cells.filter((c) => !(c.row === 0 && c.col === 2));
    expect(target(gap, { row: 0, col: 1 }, "right")).toEqual({ row: 0, col: 3 });
  });
});
