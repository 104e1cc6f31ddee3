// The 照会 and 版 screens' small rules: dates as offices type them, deadlines in words, a round's
// suggested title, the answers folder check, 新旧 amounts, the next 版 label.
import { describe, expect, it } from "vitest";
import {
  deadlineText,
  defaultFiscalYear,
  fiscalYearOf,
  formatSenDelta,
  japaneseDate,
  joinReminders,
  nextLabel,
  parseJapaneseDate,
  sameFolder,
  sameLabel,
  suggestRoundTitle,
} from "../src/lib/cycle";

describe("parseJapaneseDate", () => {
  it("reads 西暦 in the usual forms, full-width digits and a weekday too", () => {
    for (const t of ["2027-01-29", "2027/1/29", "2027.1.29", "2027年1月29日", "２０２７年１月２９日", "2027年1月29日（金）", " 2027 / 1 / 29 "]) {
      expect(parseJapaneseDate(t), t).toBe("2027-01-29");
    }
  });
  it("reads 和暦 (令和, 平成, R, 元年)", () => {
    expect(parseJapaneseDate("令和9年1月29日")).toBe("2027-01-29");
    expect(parseJapaneseDate("R9.1.29")).toBe("2027-01-29");
    expect(parseJapaneseDate("r9/1/29")).toBe("2027-01-29");
    expect(parseJapaneseDate("令和元年5月1日")).toBe("2019-05-01");
    expect(parseJapaneseDate("平成31年4月30日")).toBe("2019-04-30");
  });
  it("refuses what is not a real date", () => {
    for (const t of ["", "来週", "2027-02-30", "2027-13-01", "2027/1", "令和9年", "29/1/2027"]) {
      expect(parseJapaneseDate(t), t).toBeNull();
    }
  });
});

describe("dates and deadlines in words", () => {
  it("prints the cover's date with its weekday", () => {
    expect(japaneseDate("2027-01-31")).toBe("2027年1月31日（日）");
    expect(japaneseDate("2026-01-30")).toBe("2026年1月30日（金）");
    expect(japaneseDate("not a date")).toBe("not a date");
  });
  it("says days to the deadline, the day itself and days past it", () => {
    expect(deadlineText(12)).toBe("期限まであと 12 日");
    expect(deadlineText(0)).toBe("今日が提出期限");
    expect(deadlineText(-3)).toBe("期限を 3 日経過");
  });
});

describe("a round's suggested title and year", () => {
  const fy = (n: number) => ({ fy: n });
  it("numbers the rounds of a year and never repeats a title in use", () => {
    expect(suggestRoundTitle(2025, [])).toBe("令和7年度 第1回 進捗照会");
    expect(suggestRoundTitle(2025, [{ title: "令和7年度 第1回 進捗照会", fiscal_year: fy(2025) }, { title: "別件", fiscal_year: fy(2024) }])).toBe("令和7年度 第2回 進捗照会");
    // a round of another year already named 第1回 of this one (full-width digits): the next free number
    expect(suggestRoundTitle(2025, [{ title: "令和７年度 第１回 進捗照会", fiscal_year: fy(2024) }])).toBe("令和7年度 第2回 進捗照会");
  });
  it("takes this fiscal year within the plan's period, else the nearest year of it", () => {
    expect(defaultFiscalYear(2024, 2022, 2025)).toBe(2024);
    expect(defaultFiscalYear(2026, 2022, 2025)).toBe(2025);
    expect(defaultFiscalYear(2020, 2022, 2025)).toBe(2022);
  });
  it("places a date in its April-to-March fiscal year", () => {
    expect(fiscalYearOf(new Date(2027, 0, 31))).toBe(2026);
    expect(fiscalYearOf(new Date(2026, 3, 1))).toBe(2026);
    expect(fiscalYearOf(new Date(2026, 2, 31))).toBe(2025);
  });
});

describe("folders, amounts, reminders, labels", () => {
  it("sees the round's own folder however it is written", () => {
    expect(sameFolder("/tmp/照会/", "/tmp/照会")).toBe(true);
    expect(sameFolder("C:\\照会\\", "C:/照会")).toBe(true);
    expect(sameFolder("/tmp/照会/回答", "/tmp/照会")).toBe(false);
    expect(sameFolder("", "")).toBe(false);
  });
  it("writes a 千円 change with its sign, 減 as ▲", () => {
    expect(formatSenDelta(19100, 20100)).toBe("+1,000");
    expect(formatSenDelta(20100, 19100)).toBe("▲1,000");
    expect(formatSenDelta(5, 5)).toBe("±0");
    expect(formatSenDelta(null, 5)).toBe("");
  });
  it("joins the drafts for one paste, each whole", () => {
    const t = joinReminders([{ department: "市民課", message: "市民課様\n本文" }, { department: "税務課", message: "税務課様\n本文\n" }]);
    expect(t.split("――――――――――")).toHaveLength(2);
    expect(t.startsWith("市民課様\n本文")).toBe(true);
    expect(t.endsWith("税務課様\n本文")).toBe(true);
  });
  it("suggests the next 版 and compares labels as the plan file does", () => {
    expect(nextLabel("")).toBe("第1.0版");
    expect(nextLabel("第1.0版")).toBe("第1.1版");
    expect(nextLabel("第１.２版")).toBe("第1.3版");
    expect(nextLabel("令和4年8月版")).toBe("");
    expect(sameLabel("第１.０版", "第1.0版")).toBe(true);
    expect(sameLabel("第1.0版", "第1.1版")).toBe(false);
  });
});
