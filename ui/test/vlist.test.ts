import { describe, expect, it } from "vitest";
import { computeWindow, scrollToRow } from "../src/lib/vlist";

describe("virtual list windowing", () => {
  it("renders only the rows in view plus overscan", () => {
    const w = computeWindow(10_000, 30, 0, 600, 5);
    expect(w.start).toBe(0);
    expect(w.end).toBe(26); // 20 visible + 1 partial + 5 overscan
    expect(w.total).toBe(300_000);
  });

  it("windows the middle of a 10,000-row list", () => {
    const w = computeWindow(10_000, 30, 150_000, 600, 5);
    expect(w.start).toBe(4995);
    expect(w.end).toBe(5026);
    expect(w.offset).toBe(4995 * 30);
    expect(w.end - w.start).toBeLessThan(40);
  });

  it("clamps past the end and before the start", () => {
    const w = computeWindow(100, 30, 99_999, 600, 0);
    expect(w.end).toBe(100);
    expect(w.start).toBe(80);
    const v = computeWindow(100, 30, -50, 600, 0);
    expect(v.start).toBe(0);
  });

  it("handles empty lists", () => {
    expect(computeWindow(0, 30, 0, 600)).toEqual({ start: 0, end: 0, offset: 0, total: 0 });
  });

  it("scrolls a row into view only when needed", () => {
    expect(scrollToRow(10, 30, 0, 600)).toBe(0);
    expect(scrollToRow(30, 30, 0, 600)).toBe(31 * 30 - 600);
    expect(scrollToRow(2, 30, 300, 600)).toBe(60);
  });

  it("is fast enough to run on every scroll event", () => {
    const t0 = performance.now();
    for (let i = 0; i < 100_000; i++) computeWindow(10_000, 30, i * 3, 700);
    expect(performance.now() - t0).toBeLessThan(500);
  });
});
