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
