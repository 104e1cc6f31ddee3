import { describe, expect, it } from "vitest";
import { addFiles, shownPath } from "../src/lib/files";

const f = (handle: string, name: string, folder = "") => ({ handle, name, folder });

describe("picked files", () => {
  it("shows the folder and the name in the folder's separators", () => {
    expect(shownPath(f("a", "市.dxplan", "/home/x/計画"))).toBe("/home/x/計画/市.dxplan");
    expect(shownPath(f("a", "回答", "C:\\Users\\x"))).toBe("C:\\Users\\x\\回答");
    expect(shownPath(f("a", "x.xlsx", "/"))).toBe("/x.xlsx");
    expect(shownPath(f("a", "D:\\", ""))).toBe("D:\\");
  });

  it("adds a file picked again only once", () => {
    const a = [f("1", "a.xlsx"), f("2", "b.xlsx")];
    expect(addFiles(a, [f("2", "b.xlsx"), f("3", "c.xlsx")]).map((x) => x.handle)).toEqual(["1", "2", "3"]);
  });
});
