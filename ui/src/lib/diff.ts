// The part of a value that differs from another: the common beginning and end are left out,
// so 「40 手続」 → 「45 手続」 marks 「5」. Enough to see at a glance what a department changed.

export function changedPart(base: string, text: string): { start: number; end: number } | null {
  if (base === text || !text) return null;
  const a = [...base];
  const b = [...text];
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let ea = a.length;
  let eb = b.length;
  while (ea > start && eb > start && a[ea - 1] === b[eb - 1]) {
    ea--;
    eb--;
  }
  if (eb <= start) return null;
  // back to string (UTF-16) offsets
  const offset = (chars: string[], n: number) => chars.slice(0, n).join("").length;
  return { start: offset(b, start), end: offset(b, eb) };
}
