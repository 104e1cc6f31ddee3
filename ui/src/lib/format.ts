// Japanese conventions: 年度 with 和暦 beside 西暦, 千円 with thousands separators.
// The core writes the same forms (parse::fiscal_year, compare::render): the cases both are tested on
// are in tests/fixtures/format_cases.json. FY2019 is 令和元年度 by convention.

const ERAS = [
  { kanji: "令和", letter: "R", base: 2018, last: 99 },
  { kanji: "平成", letter: "H", base: 1988, last: 31 },
  { kanji: "昭和", letter: "S", base: 1925, last: 64 },
] as const;

function eraOf(fy: number): { kanji: string; letter: string; n: number } | null {
  for (const [i, e] of ERAS.entries()) {
    const n = fy - e.base;
    if (n > 0 && (n <= e.last || i === 0)) return { kanji: e.kanji, letter: e.letter, n };
  }
  return null;
}

/** 「2023年度」 */
export function seireki(fy: number): string {
  return `${fy}年度`;
}

/** 「令和5年度」, 「令和元年度」 */
export function wareki(fy: number): string {
  const e = eraOf(fy);
  if (!e) return seireki(fy);
  return e.n === 1 ? `${e.kanji}元年度` : `${e.kanji}${e.n}年度`;
}

/** 「R5」 */
export function warekiShort(fy: number): string {
  const e = eraOf(fy);
  return e ? `${e.letter}${e.n}` : String(fy);
}

/** 「2023年度（令和5年度）」: the header form used everywhere in dxplan. */
export function fyBoth(fy: number): string {
  return `${seireki(fy)}（${wareki(fy)}）`;
}

export function range(first: number, last: number): number[] {
  const out: number[] = [];
  for (let y = first; y <= last; y++) out.push(y);
  return out;
}

/** 1240400 → 「1,240,400」; negatives as 「▲1,000」 (the form used in municipal budgets); null → 「－」. */
export function formatSen(n: number | null | undefined): string {
  if (n === null || n === undefined || Number.isNaN(n)) return "－";
  const abs = Math.abs(n);
  const s = Math.trunc(abs).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return n < 0 ? `▲${s}` : s;
}

/** 「1,240,400 千円」 */
export function formatSenYen(n: number | null | undefined): string {
  return n === null || n === undefined ? "－" : `${formatSen(n)} 千円`;
}

/** The marks that mean "no value" (not 0). */
const EMPTY = new Set(["", "-", "－", "—", "―", "ー", "‐", "–", "−", "ｰ"]);

export function isEmptyMark(text: string): boolean {
  return EMPTY.has(text.trim());
}

/** Full-width digits and signs to ASCII (what NFKC does for these). */
export function toHalfWidth(s: string): string {
  return s.normalize("NFKC");
}

export type SenParse = { ok: true; value: number | null } | { ok: false; error: string };

/**
 * A budget cell typed in 千円: 「4,000」, 「４０００」, 「▲1,000」, 「-1000」 → number;
 * 「－」 or blank → null (no value, not 0). Anything else is an error, never 0.
 */
export function parseSen(text: string): SenParse {
  const raw = text.trim();
  if (isEmptyMark(raw)) return { ok: true, value: null };
  let s = toHalfWidth(raw).replace(/\s/g, "").replace(/千円$/, "");
  let neg = false;
  if (s.startsWith("▲") || s.startsWith("△") || s.startsWith("-") || s.startsWith("−")) {
    neg = true;
    s = s.slice(1);
  }
  if (!/^(\d{1,3}(,\d{3})+|\d+)$/.test(s)) {
    return { ok: false, error: `「${raw}」は千円単位の金額として読めません（例: 4,000）` };
  }
  const n = Number(s.replace(/,/g, ""));
  if (!Number.isSafeInteger(n)) return { ok: false, error: `「${raw}」は大きすぎます` };
  return { ok: true, value: neg ? -n : n };
}

/** Sum of the non-empty values; null when every value is empty. */
export function sumOrNull(values: (number | null | undefined)[]): number | null {
  let any = false;
  let s = 0;
  for (const v of values) {
    if (v !== null && v !== undefined) {
      any = true;
      s += v;
    }
  }
  return any ? s : null;
}

/** 「2026-03-05T01:02:03Z」 → 「2026/03/05 10:02」 (local time). */
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}/${p(d.getMonth() + 1)}/${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** Achievement rate 87.5 → 「87.5%」; null → 「－」 */
export function formatRate(r: number | null | undefined): string {
  return r === null || r === undefined ? "－" : `${r.toFixed(1)}%`;
}

/** The Japanese half of a core message 「日本語 / English」 (the UI is Japanese throughout). */
export function ja(message: string): string {
  const i = message.indexOf(" / ");
  return i > 0 ? message.slice(0, i) : message;
}

/** A round axis maximum (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × 10^k) at or above `max`, for chart ticks. */
export function niceMax(max: number): number {
  if (max <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * p >= max) return m * p;
  return 10 * p;
}

/** The fiscal year a date falls in (April to March): 2026-03-31 → 2025. */
export function currentFiscalYear(d: Date = new Date()): number {
  return d.getMonth() < 3 ? d.getFullYear() - 1 : d.getFullYear();
}
