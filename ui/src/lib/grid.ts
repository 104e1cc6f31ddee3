// Spreadsheet habits in the sheet's grids: moving between cells with Enter and the arrow keys,
// and a block copied from Excel (tab-separated rows) spread over the cells.

export type GridMove = "up" | "down" | "left" | "right";

/** The cell `move` leads to from (row, col), among the cells of the same table. */
export function target(cells: { row: number; col: number }[], from: { row: number; col: number }, move: GridMove): { row: number; col: number } | null {
  const [dr, dc] = move === "down" ? [1, 0] : move === "up" ? [-1, 0] : move === "right" ? [0, 1] : [0, -1];
  let best: { row: number; col: number } | null = null;
  let bestDist = Infinity;
  for (const c of cells) {
    if (dr !== 0 && (c.col !== from.col || Math.sign(c.row - from.row) !== dr)) continue;
    if (dc !== 0 && (c.row !== from.row || Math.sign(c.col - from.col) !== dc)) continue;
    const d = Math.abs(c.row - from.row) + Math.abs(c.col - from.col);
    if (d > 0 && d < bestDist) {
      best = c;
      bestDist = d;
    }
  }
  return best;
}

/** Moves the focus to the neighbouring cell of the same table; false when there is none. */
export function moveInGrid(el: HTMLElement, from: { row: number; col: number }, move: GridMove): boolean {
  const table = el.closest("table");
  if (!table) return false;
  const inputs = [...table.querySelectorAll<HTMLInputElement>("input[data-gr][data-gc]")].filter((i) => !i.disabled);
  const cells = inputs.map((i) => ({ row: Number(i.dataset.gr), col: Number(i.dataset.gc), el: i }));
  const t = target(cells, from, move);
  if (!t) return false;
  const next = cells.find((c) => c.row === t.row && c.col === t.col)?.el;
  if (!next) return false;
  next.focus();
  next.select();
  return true;
}

/**
 * Text copied from Excel or LibreOffice as rows of cells: tabs between cells, newlines between
 * rows, a quoted cell may hold tabs, newlines and doubled quotes. The final newline Excel adds
 * is not a row.
 */
export function parseClipboardTable(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let i = 0;
  const s = text.replace(/\r\n?/g, "\n");
  let quoted = false;
  let atCellStart = true;
  while (i < s.length) {
    const ch = s[i];
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') {
        cell += '"';
        i += 2;
        continue;
      }
      if (ch === '"' && (i + 1 === s.length || s[i + 1] === "\t" || s[i + 1] === "\n")) {
        quoted = false;
        i++;
        continue;
      }
      cell += ch;
      i++;
      continue;
    }
    if (atCellStart && ch === '"') {
      quoted = true;
      atCellStart = false;
      i++;
      continue;
    }
    atCellStart = false;
    if (ch === "\t") {
      row.push(cell);
      cell = "";
      atCellStart = true;
    } else if (ch === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      atCellStart = true;
    } else {
      cell += ch;
    }
    i++;
  }
  if (cell !== "" || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows.length ? rows : [[""]];
}
