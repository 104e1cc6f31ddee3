import { describe, expect, it } from "vitest";
import { nextZoom } from "../src/lib/zoom";

describe("zoom steps", () => {
  it("up and down by one step, back to 100%", () => {
    expect(nextZoom(1, 1)).toBe(1.1);
    expect(nextZoom(1, -1)).toBe(0.9);
    expect(nextZoom(1.5, 0)).toBe(1);
  });
  it("stops at the ends", () => {
    expect(nextZoom(2, 1)).toBe(2);
    expect(nextZoom(0.67, -1)).toBe(0.67);
  });
  it("a value between steps goes to the next step in that direction", () => {
    expect(nextZoom(1.2, 1)).toBe(1.25);
    expect(nextZoom(1.2, -1)).toBe(1.1);
  });
});
