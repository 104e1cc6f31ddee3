import { describe, expect, it } from "vitest";
import { kindLabel } from "../src/lib/fields";

describe("change-log operation kinds", () => {
  it("reads the core's labels (generated into bindings.ts)", () => {
    expect(kindLabel("local_edit")).toBe("編集");
    expect(kindLabel("merge")).toBe("統合");
    expect(kindLabel("round")).toBe("照会");
  });
});
