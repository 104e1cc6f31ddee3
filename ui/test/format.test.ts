import { describe, expect, it } from "vitest";
import { formatSen, formatSenYen, fyBoth, parseSen, seireki, sumOrNull, wareki, warekiShort, isEmptyMark, formatRate, ja, niceMax } from "../src/lib/format";
import cases from "../../tests/fixtures/format_cases.json";

describe("和暦", () => {
  it("formats fiscal years as the plans print them", () => {
    expect(fyBoth(2023)).toBe("2023年度（令和5年度）");
    expect(wareki(2022)).toBe("令和4年度");
    expect(wareki(2019)).toBe("令和元年度");
    expect(wareki(2018)).toBe("平成30年度");
    expect(wareki(1989)).toBe("平成元年度");
    expect(wareki(1988)).toBe("昭和63年度");
    expect(warekiShort(2025)).toBe("R7");
    expect(warekiShort(2030)).toBe("R12");
  });
});

describe("千円", () => {
  it("formats with thousands separators, ▲ for negatives and 「－」 for no value", () => {
    expect(formatSen(1240400)).toBe("1,240,400");
    expect(formatSen(0)).toBe("0");
    expect(formatSen(999)).toBe("999");
    expect(formatSen(-1000)).toBe("▲1,000");
    expect(formatSen(null)).toBe("－");
    expect(formatSenYen(626400)).toBe("626,400 千円");
  });

  it("parses typed amounts, full width included; empty marks are no value, not 0", () => {
    expect(parseSen("4,000")).toEqual({ ok: true, value: 4000 });
    expect(parseSen("４，０００")).toEqual({ ok: true, value: 4000 });
    expect(parseSen(" 6000 ")).toEqual({ ok: true, value: 6000 });
    expect(parseSen("▲1,000")).toEqual({ ok: true, value: -1000 });
    expect(parseSen("4,000千円")).toEqual({ ok: true, value: 4000 });
    expect(parseSen("0")).toEqual({ ok: true, value: 0 });
    for (const e of ["", "－", "-", "ー", "—"]) expect(parseSen(e)).toEqual({ ok: true, value: null });
    expect(isEmptyMark("－")).toBe(true);
  });

  it("refuses what is not an amount instead of guessing", () => {
    expect(parseSen("4,00").ok).toBe(false);
    expect(parseSen("約4000").ok).toBe(false);
    expect(parseSen("12.5").ok).toBe(false);
    expect(parseSen("abc").ok).toBe(false);
  });

  it("totals skip empty cells and stay empty when all are empty", () => {
    expect(sumOrNull([19100, null, 170100])).toBe(189200);
    expect(sumOrNull([null, null])).toBeNull();
    expect(sumOrNull([0, null])).toBe(0);
  });

  it("formats achievement rates", () => {
    expect(formatRate(87.5)).toBe("87.5%");
    expect(formatRate(null)).toBe("－");
  });
});

describe("messages and charts", () => {
  it("keeps the Japanese half of a core message", () => {
    expect(ja("事業シートではありません（目次） / not a project sheet")).toBe("事業シートではありません（目次）");
    expect(ja("日本語だけ")).toBe("日本語だけ");
  });
  it("rounds chart maxima to readable ticks", () => {
    expect(niceMax(665_100)).toBe(800_000);
    expect(niceMax(450_000)).toBe(500_000);
    expect(niceMax(240)).toBe(250);
    expect(niceMax(0)).toBe(1);
  });
});

// The cases the core is tested on too (src/parse/mod.rs, src/compare/render.rs): one file, so
// the editor's formatting per keystroke and the core's cannot drift.

describe("shared with the core (tests/fixtures/format_cases.json)", () => {
  it("writes fiscal years as the core does", () => {
    for (const y of cases.fiscal_years) {
      expect(seireki(y.fy)).toBe(y.seireki);
      expect(wareki(y.fy)).toBe(y.wareki);
      expect(warekiShort(y.fy)).toBe(y.short);
      expect(fyBoth(y.fy)).toBe(y.both);
    }
  });
  it("reads 千円 as the core does, and refuses what it refuses", () => {
    for (const m of cases.money_read) expect(parseSen(m.text), m.text).toEqual({ ok: true, value: m.value });
    for (const t of cases.money_refused) expect(parseSen(t).ok, t).toBe(false);
  });
  it("groups 千円 as the core does", () => {
    for (const m of cases.money_grouped) {
      expect(formatSen(m.value)).toBe(m.text);
      expect(parseSen(m.text), m.text).toEqual({ ok: true, value: m.value });
    }
  });
});
