import { describe, expect, it } from "vitest";
import { durationLabel, pagesToEvict, pagesToLoad, sizeLabel, svgUrl } from "../src/lib/report";

describe("report preview: pages to fetch", () => {
  it("visible pages first, in page order, then their neighbours", () => {
    expect(pagesToLoad([5, 4], 10, new Set(), new Set(), 10)).toEqual([4, 5, 3, 6]);
  });
  it("skips pages loaded or on their way, and stops at the free slots", () => {
    expect(pagesToLoad([0, 1, 2], 10, new Set([0]), new Set([1]), 2)).toEqual([2, 3]);
    expect(pagesToLoad([0], 10, new Set(), new Set(), 0)).toEqual([]);
  });
  it("stays within the document", () => {
    expect(pagesToLoad([0, 9, 12, -1], 10, new Set(), new Set(), 10)).toEqual([0, 9, 1, 8]);
    expect(pagesToLoad([0], 0, new Set(), new Set(), 4)).toEqual([]);
  });
});

describe("report preview: labels and images", () => {
  it("sizes and durations as the screen says them", () => {
    expect(sizeLabel(512 * 1024)).toBe("512 KB");
    expect(sizeLabel(1.5 * 1024 * 1024)).toBe("1.5 MB");
    expect(sizeLabel(10)).toBe("1 KB");
    expect(durationLabel(820)).toBe("820 ミリ秒");
    expect(durationLabel(1440)).toBe("1.4 秒");
  });
  it("an SVG page becomes a data: image, escaped", () => {
    const url = svgUrl('<svg xmlns="http://www.w3.org/2000/svg"><text>#報告</text></svg>');
    expect(url.startsWith("data:image/svg+xml;charset=utf-8,%3Csvg")).toBe(true);
    expect(url).not.toContain("#");
    expect(decodeURIComponent(url.split(",")[1])).toContain("報告");
  });
});

describe("report preview: pages let go of", () => {
  it("none while few are loaded", () => {
    expect(pagesToEvict([3], [1, 2, 3, 4], 10)).toEqual([]);
  });
  it("the farthest from the pages in view, never one in view", () => {
    expect(pagesToEvict([50, 51], [0, 1, 49, 50, 51, 52, 99], 4).sort((a, b) => a - b)).toEqual([0, 1, 99]);
    expect(pagesToEvict([0], [0, 1, 2], 0)).toEqual([2, 1]);
  });
});
