"""Draws time and peak memory against plan size (issue 18) from the suite's results.json
(bench/suite.py) as one SVG: two panels, a line per operation, both axes logarithmic, so
growth reads at a glance (a line parallel to the 1 : 1 guide grows in proportion).

    python3 bench/chart.py target/bench-suite/results.json docs/performance.svg
"""
import json
import math
import sys

W, H = 980, 430
PANEL_W, PANEL_H = 390, 300
LEFT, TOP = 70, 60
GAP = 100
COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"]


def ticks(lo, hi):
    out = []
    e = math.floor(math.log10(lo))
    while 10 ** e <= hi * 1.0001:
        for m in (1, 2, 5):
            v = m * 10 ** e
            if lo / 1.0001 <= v <= hi * 1.0001:
                out.append(v)
        e += 1
    return out


def fmt(v):
    if v >= 1000:
        return f"{v:,.0f}"
    if v >= 1:
        return f"{v:g}"
    return f"{v:.3g}"


def panel(x0, title, unit, series, sizes):
    vals = [v for _, pts, _ in series for _, v in pts if v]
    lo = 10 ** math.floor(math.log10(min(vals)))
    hi = 10 ** math.ceil(math.log10(max(vals)))
    if hi <= lo:  # every value the same power of ten
        hi = lo * 10
    sx_lo, sx_hi = math.log10(min(sizes)), math.log10(max(sizes))
    if sx_hi <= sx_lo:  # one plan size (SIZES=1000): the points sit in the middle
        sx_lo, sx_hi = sx_lo - 1, sx_hi + 1

    def px(n):
        return x0 + (math.log10(n) - sx_lo) / (sx_hi - sx_lo) * PANEL_W

    def py(v):
        return TOP + PANEL_H - (math.log10(v) - math.log10(lo)) / (math.log10(hi) - math.log10(lo)) * PANEL_H

    out = [f'<text x="{x0 + PANEL_W / 2}" y="{TOP - 22}" text-anchor="middle" font-size="15" font-weight="bold">{title}</text>',
           f'<rect x="{x0}" y="{TOP}" width="{PANEL_W}" height="{PANEL_H}" fill="none" stroke="#888"/>']
    for t in ticks(lo, hi):
        y = py(t)
        out.append(f'<line x1="{x0}" y1="{y:.1f}" x2="{x0 + PANEL_W}" y2="{y:.1f}" stroke="#e5e5e5"/>')
        out.append(f'<text x="{x0 - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">{fmt(t)}</text>')
    for n in sizes:
        x = px(n)
        out.append(f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{TOP + PANEL_H}" stroke="#e5e5e5"/>')
        out.append(f'<text x="{x:.1f}" y="{TOP + PANEL_H + 16}" text-anchor="middle" font-size="11">{n:,}</text>')
    out.append(f'<text x="{x0 + PANEL_W / 2}" y="{TOP + PANEL_H + 34}" text-anchor="middle" font-size="12">projects in the plan</text>')
    out.append(f'<text x="{x0 - 50}" y="{TOP + PANEL_H / 2}" text-anchor="middle" font-size="12" transform="rotate(-90 {x0 - 50} {TOP + PANEL_H / 2})">{unit}</text>')
    for name, pts, c in series:
        dash = ' stroke-dasharray="5,4"' if name.startswith("bare calamine") else ""
        pts = [(n, v) for n, v in pts if v]
        path = " ".join(f"{'M' if k == 0 else 'L'}{px(n):.1f},{py(v):.1f}" for k, (n, v) in enumerate(pts))
        out.append(f'<path d="{path}" fill="none" stroke="{c}" stroke-width="2"{dash}/>')
        for n, v in pts:
            out.append(f'<circle cx="{px(n):.1f}" cy="{py(v):.1f}" r="3" fill="{c}"><title>{name}, {n:,} projects: {fmt(v)} {unit}</title></circle>')
    return out


def main():
    src, dst = sys.argv[1], sys.argv[2]
    rows = json.load(open(src, encoding="utf-8"))
    sizes = sorted({r["projects"] for r in rows})
    ops = []
    for r in rows:
        if r["operation"] not in ops:
            ops.append(r["operation"])

    def series(key, ckey):
        # (name, points, colour): a bare calamine line takes its operation's colour, dashed.
        out = [(op, [(r["projects"], r[key]) for r in rows if r["operation"] == op], COLORS[i % len(COLORS)])
               for i, op in enumerate(ops)]
        for i, op in enumerate(ops):
            pts = [(r["projects"], r[ckey]) for r in rows if r["operation"] == op and r.get(ckey)]
            if pts:
                out.append((f"bare calamine ({op.split(' ')[0]})", pts, COLORS[i % len(COLORS)]))
        return out

    t = series("seconds", "calamine_seconds")
    m = series("peak_mb", "calamine_peak_mb")
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H + 22 * ((len(t) + 2) // 3)}" font-family="sans-serif">',
           f'<rect width="100%" height="100%" fill="white"/>']
    svg += panel(LEFT, "Wall time (median)", "seconds", t, sizes)
    svg += panel(LEFT + PANEL_W + GAP, "Peak memory (max RSS)", "MB", m, sizes)
    y = TOP + PANEL_H + 60
    for i, (name, _, c) in enumerate(t):
        x = LEFT + (i % 3) * 300
        yy = y + (i // 3) * 22
        dash = ' stroke-dasharray="5,4"' if name.startswith("bare calamine") else ""
        svg.append(f'<line x1="{x}" y1="{yy}" x2="{x + 26}" y2="{yy}" stroke="{c}" stroke-width="2"{dash}/>')
        svg.append(f'<text x="{x + 32}" y="{yy + 4}" font-size="12">{name}</text>')
    svg.append("</svg>")
    with open(dst, "w", encoding="utf-8") as f:
        f.write("\n".join(svg) + "\n")


if __name__ == "__main__":
    main()
