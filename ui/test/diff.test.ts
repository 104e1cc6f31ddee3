import { describe, expect, it } from "vitest";
import { changedPart } from "../src/lib/diff";

describe("the changed part of a value", () => {
  it("marks only what differs", () => {
    expect(changedPart("40 手続", "45 手続")).toEqual({ start: 1, end: 2 });
    expect(changedPart("行政手続全般のオンライン化を進めます", "行政手続全般のオンライン化を急ぎます")).toEqual({ start: 14, end: 16 });
  });
  it("nothing for the same value; the whole for a new one", () => {
    expect(changedPart("同じ", "同じ")).toBeNull();
    expect(changedPart("", "新しい")).toEqual({ start: 0, end: 3 });
  });
  it("counts characters outside the BMP once", () => {
    const r = changedPart("𠮷野家", "𠮷田家");
    expect(r).toEqual({ start: 2, end: 3 });
  });
});
