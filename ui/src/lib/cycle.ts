// The yearly cycle's small rules on screen: dates typed the ways offices write them, days to a
// deadline in words, a round's suggested title, the answers folder check, 新旧 amounts.
import { formatSen, toHalfWidth, wareki } from "./format";

const ERA_BASE: Record<string, number> = { 令和: 2018, R: 2018, 平成: 1988, H: 1988 };

function validIso(y: number, m: number, d: number): string | null {
  if (!(y >= 1900 && y <= 2200 && m >= 1 && m <= 12 && d >= 1 && d <= 31)) return null;
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return null;
  return `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/**
 * A date as typed: 「2027-01-31」, 「2027/1/31」, 「2027年1月31日（日）」, 「令和9年1月31日」, 「R9.1.31」,
 * full-width digits too → 「2027-01-31」; null when it is not a real date.
 */
export function parseJapaneseDate(text: string): string | null {
  let s = toHalfWidth(text).replace(/\s/g, "");
  s = s.replace(/[(（][月火水木金土日][)）]$/, "");
  if (!s) return null;
  let m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(s);
  if (m) return validIso(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(令和|平成|R|H)(\d{1,2}|元)[年.\-/](\d{1,2})[月.\-/](\d{1,2})日?$/i.exec(s);
  if (m) {
    const base = ERA_BASE[m[1].toUpperCase()] ?? ERA_BASE[m[1]];
    const n = m[2] === "元" ? 1 : Number(m[2]);
    return validIso(base + n, Number(m[3]), Number(m[4]));
  }
  return null;
}

const DAYS = ["日", "月", "火", "水", "木", "金", "土"];

/** 「2027-01-31」 → 「2027年1月31日（日）」 (as the workbook's cover prints it). */
export function japaneseDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const wd = new Date(Date.UTC(y, mo - 1, d)).getUTCDay();
  return `${y}年${mo}月${d}日（${DAYS[wd]}）`;
}

/** Days from the day counted on to the deadline, in words (negative: past it). */
export function deadlineText(daysToDeadline: number): string {
  if (daysToDeadline > 0) return `期限まであと ${daysToDeadline} 日`;
  if (daysToDeadline === 0) return "今日が提出期限";
  return `期限を ${-daysToDeadline} 日経過`;
}

/** 「令和7年度 第2回 進捗照会」: the next number among that year's rounds, never a title in use. */
export function suggestRoundTitle(fy: number, rounds: { title: string; fiscal_year: { fy: number } }[]): string {
  const taken = new Set(rounds.map((r) => r.title.normalize("NFKC").replace(/\s/g, "")));
  let n = rounds.filter((r) => r.fiscal_year.fy === fy).length + 1;
  for (;;) {
    const t = `${wareki(fy)} 第${n}回 進捗照会`;
    if (!taken.has(t.normalize("NFKC").replace(/\s/g, ""))) return t;
    n++;
  }
}

/** This fiscal year when the plan covers it, else the plan's nearest year. */
export function defaultFiscalYear(thisYear: number, first: number, last: number): number {
  return Math.min(Math.max(thisYear, first), last);
}

/** The fiscal year a date falls in (April to March). */
export function fiscalYearOf(d: Date): number {
  return d.getMonth() >= 3 ? d.getFullYear() : d.getFullYear() - 1;
}

/** Whether two folder paths name the same folder as typed (separators and a trailing one aside). */
export function sameFolder(a: string, b: string): boolean {
  const norm = (p: string) => p.trim().replace(/\\/g, "/").replace(/\/+$/, "").replace(/\/\.$/, "");
  return norm(a) !== "" && norm(a) === norm(b);
}

/** The last component of a path written on Windows or elsewhere. */
export function baseName(p: string): string {
  return p.split(/[\\/]/).pop() ?? p;
}

/** A change in 千円: 「+1,000」, 「▲1,000」, 「±0」. */
export function formatSenDelta(oldV: number | null, newV: number | null): string {
  if (oldV === null || newV === null) return "";
  const d = newV - oldV;
  if (d === 0) return "±0";
  return d > 0 ? `+${formatSen(d)}` : formatSen(d);
}

/** The 督促 text of several departments, one block each, for one paste into a mail. */
export function joinReminders(lines: { department: string; message: string }[]): string {
  return lines.map((l) => l.message.trim()).join("\n\n――――――――――\n\n");
}

/** A label as a version list compares them (「第１.０版」 is 「第1.0版」). */
export function sameLabel(a: string, b: string): boolean {
  const n = (s: string) => s.normalize("NFKC").replace(/\s/g, "");
  return n(a) === n(b);
}

/** 「第1.0版」 → 「第1.1版」: the next minor number, as a suggestion. */
export function nextLabel(last: string): string {
  const m = /^(.*?)(\d+)\.(\d+)(版.*)$/.exec(last.normalize("NFKC"));
  if (!m) return last ? "" : "第1.0版";
  return `${m[1]}${m[2]}.${Number(m[3]) + 1}${m[4]}`;
}
