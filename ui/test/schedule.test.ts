import { describe, expect, it } from "vitest";
import { dragSpan, fyAtX, parseFy, yearsMoved } from "../src/lib/schedule";

describe("schedule bars", () => {
  it("maps pixels to fiscal years, clamped to the period", () => {
    expect(fyAtX(0, 80, 2022, 2025)).toBe(2022);
    expect(fyAtX(170, 80, 2022, 2025)).toBe(2024);
    expect(fyAtX(10_000, 80, 2022, 2025)).toBe(2025);
    expect(fyAtX(-5, 80, 2022, 2025)).toBe(2022);
    expect(yearsMoved(119, 80)).toBe(1);
    expect(yearsMoved(-41, 80)).toBe(-1);
    expect(Object.is(yearsMoved(-10, 80), 0)).toBe(true);
  });

  it("moves a bar keeping its length, stopping at the period's edges", () => {
    expect(dragSpan({ start_fy: 2022, end_fy: 2023 }, "move", 1, 2022, 2025)).toEqual({ start_fy: 2023, end_fy: 2024 });
    expect(dragSpan({ start_fy: 2022, end_fy: 2023 }, "move", 5, 2022, 2025)).toEqual({ start_fy: 2024, end_fy: 2025 });
    expect(dragSpan({ start_fy: 2023, end_fy: 2024 }, "move", -3, 2022, 2025)).toEqual({ start_fy: 2022, end_fy: 2023 });
  });

  it("resizes one end without crossing the other", () => {
    expect(dragSpan({ start_fy: 2022, end_fy: 2023 }, "end", 2, 2022, 2025)).toEqual({ start_fy: 2022, end_fy: 2025 });
    expect(dragSpan({ start_fy: 2022, end_fy: 2023 }, "end", -3, 2022, 2025)).toEqual({ start_fy: 2022, end_fy: 2022 });
    expect(dragSpan({ start_fy: 2023, end_fy: 2024 }, "start", 4, 2022, 2025)).toEqual({ start_fy: 2024, end_fy: 2024 });
    expect(dragSpan({ start_fy: 2023, end_fy: 2024 }, "start", -4, 2022, 2025)).toEqual({ start_fy: 2022, end_fy: 2024 });
  });

  it("reads typed years in 西暦 and 和暦", () => {
    expect(parseFy("2023")).toBe(2023);
    expect(parseFy("２０２３年度")).toBe(2023);
    expect(parseFy("R5")).toBe(2023);
    expect(parseFy("令和5年度")).toBe(2023);
    expect(parseFy("令和 7年度")).toBe(2025);
    expect(parseFy("令和元年度")).toBe(2019);
    expect(parseFy("H30")).toBe(2018);
    expect(parseFy("FY2024")).toBe(2024);
    expect(parseFy("来年")).toBeNull();
    expect(parseFy("")).toBeNull();
  });
});
