"""Benchmark suite of dxplan (issue 7), run by scripts/bench.sh.

Times each operation as a subprocess of the release `dxplan` binary, and the same work done
by Python + openpyxl (bench/openpyxl_suite.py), on the inputs benches/suite.rs prepared under
WORK/nN/. For each it reports the median wall time of several runs and the peak memory (the
largest resident set of the process, from wait4's rusage). Prints a Markdown table and writes it
to WORK/results.md.

    python suite.py --dxplan target/release/dxplan --work target/bench-suite --sizes 100 1000 10000
"""
import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def run(argv, stdout=subprocess.DEVNULL):
    """Runs argv; returns (seconds, peak RSS in MB). Fails loudly on a non-zero exit."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=stdout, stderr=subprocess.PIPE)
    err = proc.stderr.read()
    _, status, rusage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(argv)}\n{err.decode(errors='replace')}")
    return seconds, rusage.ru_maxrss / 1024.0


def measure(runs, setup, argv_of):
    """Median seconds and largest peak RSS over `runs` runs; `setup(i)` prepares run i (untimed)."""
    times, peaks = [], []
    for i in range(runs):
        ctx = setup(i) if setup else None
        s, m = run(argv_of(ctx))
        times.append(s)
        peaks.append(m)
    return statistics.median(times), max(peaks)


def machine():
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = "?"
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    return f"{os.cpu_count()} CPUs ({cpu}), {mem} RAM, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dxplan", required=True)
    ap.add_argument("--python", default=sys.executable, help="a Python with openpyxl")
    ap.add_argument("--work", required=True)
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    ap.add_argument("--runs", type=int, default=5, help="runs of each dxplan operation")
    ap.add_argument("--py-runs", type=int, default=3, help="runs of each openpyxl script")
    ap.add_argument("--py-runs-large", type=int, default=1, help="openpyxl runs at 10,000 projects and more")
    ap.add_argument("--ops", nargs="*", default=None, help="only the operations whose name starts with one of these (e.g. import 'export department')")
    ap.add_argument("--calamine", default=None, help="the bare calamine pass (bench/calamine_read.rs), timed beside the reading operations")
    ap.add_argument("--python-calamine", action="store_true", help="also time a bare python-calamine read (bench/python_calamine_read.py, with --python), the yardstick issue 18 was measured with")
    ap.add_argument("--no-openpyxl", action="store_true", help="time dxplan (and calamine) only")
    args = ap.parse_args()

    pyver = "not run" if args.no_openpyxl else subprocess.run([args.python, "-c", "import openpyxl; print(openpyxl.__version__)"], capture_output=True, text=True).stdout.strip()
    dxver = subprocess.run([args.dxplan, "--version"], capture_output=True, text=True).stdout.strip()
    script = os.path.join(HERE, "openpyxl_suite.py")
    tmp = os.path.join(args.work, "tmp")
    os.makedirs(tmp, exist_ok=True)
    rows = []
    target_line = None
    answers_line = None

    def fresh(src, name):
        def setup(i):
            dst = os.path.join(tmp, f"{name}-{i}.dxplan")
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(dst + suffix):
                    os.remove(dst + suffix)
            shutil.copyfile(src, dst)
            return dst
        return setup

    for n in args.sizes:
        d = os.path.join(args.work, f"n{n}")
        plan = os.path.join(d, "plan.dxplan")
        subs = sorted(os.path.join(d, "dept", f) for f in os.listdir(os.path.join(d, "dept")))
        py_runs = args.py_runs_large if n >= 10000 else args.py_runs
        out = os.path.join(tmp, "out.xlsx")
        legacy = sorted(os.path.join(d, f) for f in os.listdir(d) if f.startswith("legacy") and f.endswith(".xlsx"))
        master = os.path.join(d, "master.xlsx")

        def py(*a):
            # The script as an office writes it, and in openpyxl's fast modes (--tuned).
            return lambda tuned: (lambda _: [args.python, script] + (["--tuned"] if tuned else []) + list(a))

        # What a bare calamine pass reads for the same operation (None: nothing to read).
        answers_dir = os.path.join(d, "answers")
        answers = sorted(os.path.join(answers_dir, f) for f in os.listdir(answers_dir)) if os.path.isdir(answers_dir) else []
        bare = {
            "import (legacy workbook)": legacy,
            "merge 50 submissions": subs,
            "merge 50 answers of 12 departments": answers,
        }
        ops = [
            ("import (legacy workbook)",
             (fresh(os.path.join(d, "empty.dxplan"), "import"), lambda p: [args.dxplan, "import", p] + legacy),
             lambda tuned: (lambda _: [args.python, script] + (["--tuned"] if tuned else []) + ["import", os.path.join(tmp, f"py-{time.time_ns()}.sqlite")] + legacy)),
            ("export department",
             (None, lambda _: [args.dxplan, "export", plan, "--department", "業務01課", "-o", out]),
             py("write", os.path.join(d, "dept_cells.json"), out)),
            ("export master",
             (None, lambda _: [args.dxplan, "export", plan, "-o", out]),
             py("write", os.path.join(d, "master_cells.json"), out)),
            ("merge 50 submissions",
             (fresh(plan, "merge"), lambda p: [args.dxplan, "merge", p] + subs),
             py("merge", master, out, *subs)),
            ("merge 50 answers of 12 departments",
             (fresh(os.path.join(d, "plan12.dxplan"), "merge12"), lambda p: [args.dxplan, "merge", p] + answers),
             None),
            ("open + dump",
             (None, lambda _: [args.dxplan, "dump", plan, "--compact"]),
             py("dump", master)),
        ]
        for name, (dx_setup, dx_argv), py_argv in ops:
            if args.ops and not any(name.startswith(o) for o in args.ops):
                continue
            if name.startswith("merge 50 answers") and not answers:
                continue
            dx_t, dx_m = measure(args.runs, dx_setup, dx_argv)
            ca_t = ca_m = None
            if args.calamine and bare.get(name):
                ca_t, ca_m = measure(args.runs, None, lambda _: [args.calamine] + bare[name])
            pc_t = pc_m = None
            if args.python_calamine and bare.get(name):
                pc_t, pc_m = measure(args.runs, None, lambda _: [args.python, os.path.join(HERE, "python_calamine_read.py")] + bare[name])
            if args.no_openpyxl or py_argv is None:
                py_t = py_m = pt_t = pt_m = None
            else:
                py_t, py_m = measure(py_runs, None, py_argv(False))
                pt_t, pt_m = measure(py_runs, None, py_argv(True))
            rows.append((n, name, dx_t, dx_m, ca_t, ca_m, pc_t, pc_m, py_t, py_m, pt_t, pt_m))
            line = f"  {n:>6} {name:<26} dxplan {dx_t:8.3f} s {dx_m:7.0f} MB"
            if ca_t is not None:
                line += f" | calamine {ca_t:8.3f} s {ca_m:7.0f} MB ({dx_t / ca_t:4.2f}×)"
            if pc_t is not None:
                line += f" | python-calamine {pc_t:8.3f} s {pc_m:7.0f} MB ({dx_t / pc_t:4.2f}×)"
            if py_t is not None:
                line += (f" | openpyxl {py_t:8.3f} s {py_m:7.0f} MB | tuned {pt_t:8.3f} s {pt_m:7.0f} MB"
                         f" | {py_t / dx_t:6.1f}× / {pt_t / dx_t:6.1f}×")
            print(line, flush=True)
            if n == 1000 and name.startswith("merge 50 answers"):
                ratio = f", {dx_t / ca_t:.2f}× the bare calamine pass (≤ 1.2×)" if ca_t else ""
                answers_line = (f"issue 18 target, 50 answers of 12 departments ({len(answers)} workbooks): "
                                f"{dx_t:.2f} s, {dx_m:.0f} MB (≤ 150 MB){ratio}")
            if n == 1000 and name == "merge 50 submissions":
                ok = dx_t < 3.0 and dx_m < 300.0
                target_line = (f"issue 5 target, 50 submissions into a 1,000-project plan: {dx_t:.2f} s (< 3 s), "
                               f"{dx_m:.0f} MB (< 300 MB): {'OK' if ok else 'MISSED'}")
        for f in os.listdir(tmp):
            os.remove(os.path.join(tmp, f))

    load = os.getloadavg()
    lines = [
        f"Machine: {machine()}; load average at the end {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1 / 5 / 15 min)",
        f"dxplan: {dxver} (release build); openpyxl {pyver}",
        f"Runs: dxplan and calamine {args.runs} per figure; openpyxl {args.py_runs} ({args.py_runs_large} at 10,000 projects). "
        "Time: median wall time of the whole process (Python's start and `import openpyxl` included, about 0.2 s); "
        "memory: largest peak RSS over the runs.",
        "calamine: a bare calamine pass over the same workbooks (bench/calamine_read.rs: every cell of every sheet, one workbook at a time); "
        "python-calamine: the same read from Python (bench/python_calamine_read.py, the yardstick issue 18 was measured with; Python's start counts).",
        "openpyxl: the script as offices write it (`load_workbook(path)`, `Workbook()`); tuned: read_only / write_only modes.",
        "",
        "| projects | operation | dxplan (s) | dxplan peak (MB) | calamine (s) | calamine peak (MB) | dxplan ÷ calamine | python-calamine (s) | python-calamine peak (MB) | dxplan ÷ python-calamine | openpyxl (s) | openpyxl peak (MB) | openpyxl tuned (s) | tuned peak (MB) | dxplan faster: vs openpyxl / vs tuned |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    dash = "–"
    for n, name, dx_t, dx_m, ca_t, ca_m, pc_t, pc_m, py_t, py_m, pt_t, pt_m in rows:
        ca = (f"{ca_t:.3f} | {ca_m:.0f} | {dx_t / ca_t:.2f}×" if ca_t is not None else f"{dash} | {dash} | {dash}")
        ca += " | " + (f"{pc_t:.3f} | {pc_m:.0f} | {dx_t / pc_t:.2f}×" if pc_t is not None else f"{dash} | {dash} | {dash}")
        py = (f"{py_t:.3f} | {py_m:.0f} | {pt_t:.3f} | {pt_m:.0f} | {py_t / dx_t:.1f}× / {pt_t / dx_t:.1f}×"
              if py_t is not None else " | ".join([dash] * 5))
        lines.append(f"| {n:,} | {name} | {dx_t:.3f} | {dx_m:.0f} | {ca} | {py} |")
    for extra in (target_line, answers_line):
        if extra:
            lines += ["", extra]
    text = "\n".join(lines)
    print()
    print(text)
    with open(os.path.join(args.work, "results.md"), "w", encoding="utf-8") as f:
        f.write(text + "\n")
    # The figures for bench/chart.py (docs/performance.md's chart).
    with open(os.path.join(args.work, "results.json"), "w", encoding="utf-8") as f:
        json.dump([{"projects": n, "operation": name, "seconds": dx_t, "peak_mb": dx_m,
                    "calamine_seconds": ca_t, "calamine_peak_mb": ca_m,
                    "python_calamine_seconds": pc_t, "python_calamine_peak_mb": pc_m}
                   for n, name, dx_t, dx_m, ca_t, ca_m, pc_t, pc_m, *_ in rows], f, indent=1)


if __name__ == "__main__":
    main()
