import { describe, expect, it } from "vitest";
import { CommitGuard } from "../src/lib/ime";

function guard(enterCommits = true, initial = "") {
  const commits: string[] = [];
  const g = new CommitGuard({ commit: (t) => commits.push(t), enterCommits }, initial);
  return { g, commits };
}

describe("IME-safe commit", () => {
  it("never commits during a composition, even on Enter", () => {
    const { g, commits } = guard();
    g.compositionStart();
    // Enter confirms the conversion: isComposing true, keyCode 229
    expect(g.keyDown("Enter", true, 229, "じっせき")).toBe("ime");
    expect(g.keyDown("Enter", false, 13, "じっせき")).toBe("ime"); // still composing
    expect(commits).toEqual([]);
    g.compositionEnd();
    // WebKit's trailing Enter keydown after compositionend is swallowed
    expect(g.keyDown("Enter", false, 13, "実績")).toBe("ime");
    expect(commits).toEqual([]);
    // a later Enter commits the converted text, once
    expect(g.keyDown("Enter", false, 13, "実績")).toBe("commit");
    expect(commits).toEqual(["実績"]);
  });

  it("keyCode 229 alone marks an IME key", () => {
    const { g, commits } = guard();
    expect(g.keyDown("Process", false, 229, "a")).toBe("ime");
    expect(commits).toEqual([]);
  });

  it("blur commits, and ends a composition that was left open", () => {
    const { g, commits } = guard();
    g.compositionStart();
    g.blur("未確定の文字");
    expect(commits).toEqual(["未確定の文字"]);
    expect(g.isComposing).toBe(false);
  });

  it("commits nothing when the text did not change", () => {
    const { g, commits } = guard(true, "同じ");
    g.blur("同じ");
    g.keyDown("Enter", false, 13, "同じ");
    expect(commits).toEqual([]);
    g.reset("外から変わった");
    g.blur("外から変わった");
    expect(commits).toEqual([]);
  });

  it("in a textarea Enter is a newline; Ctrl+Enter commits", () => {
    const { g, commits } = guard(false);
    expect(g.keyDown("Enter", false, 13, "一行目")).toBe("pass");
    expect(g.keyDown("Enter", false, 13, "一行目\n二行目", true)).toBe("commit");
    expect(commits).toEqual(["一行目\n二行目"]);
  });

  it("other keys pass through", () => {
    const { g } = guard();
    expect(g.keyDown("a", false, 65, "a")).toBe("pass");
  });
});

// The Enter that confirms a conversion comes in two orders (see src/lib/ime.ts). `at` is the
// event time in ms, as the browser stamps it.
describe("the confirming Enter in both webviews' orders", () => {
  it("WebKitGTK: compositionend, then the confirming keydown (keyCode 229 or 13); the next Enter commits once", () => {
    for (const keyCode of [229, 13]) {
      const { g, commits } = guard();
      g.compositionStart();
      expect(g.keyDown("Process", false, 229, "じっせき", false, 1000)).toBe("ime");
      g.compositionEnd(1100);
      expect(g.keyDown("Enter", false, keyCode, "実績", false, 1101)).toBe("ime");
      expect(commits).toEqual([]);
      expect(g.keyDown("Enter", false, 13, "実績", false, 1600)).toBe("commit");
      expect(g.keyDown("Enter", false, 13, "実績", false, 1900)).toBe("commit"); // unchanged: no second save
      expect(commits).toEqual(["実績"]);
    }
  });

  it("WebView2: the confirming keydown (isComposing, 229) before compositionend; the person's next Enter is not swallowed", () => {
    const { g, commits } = guard();
    g.compositionStart();
    expect(g.keyDown("Enter", true, 229, "じっせき", false, 1000)).toBe("ime");
    g.compositionEnd(1002);
    expect(commits).toEqual([]);
    // the person presses Enter to commit, a moment later
    expect(g.keyDown("Enter", false, 13, "実績", false, 1350)).toBe("commit");
    expect(commits).toEqual(["実績"]);
  });

  it("two conversions in a row, then Enter: one commit with the whole text", () => {
    const { g, commits } = guard();
    g.compositionStart();
    g.compositionEnd(100);
    expect(g.keyDown("Enter", false, 229, "実績", false, 101)).toBe("ime");
    g.compositionStart();
    expect(g.keyDown("Enter", true, 229, "実績ち", false, 500)).toBe("ime");
    g.compositionEnd(501);
    expect(g.keyDown("Enter", false, 13, "実績値", false, 900)).toBe("commit");
    expect(commits).toEqual(["実績値"]);
  });

  it("an Enter long after a composition is the person's own, in the WebKit order too", () => {
    const { g, commits } = guard();
    g.compositionStart();
    g.compositionEnd(1000);
    expect(g.keyDown("Enter", false, 13, "目標", false, 1000 + 400)).toBe("commit");
    expect(commits).toEqual(["目標"]);
  });
});
