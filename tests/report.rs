//! The committee report (`dxplan report`, issue 17) as a reader gets it: the real binary writes
//! a PDF of the bundled sample plan (or a generated one), and poppler's tools read it back —
//! `pdftotext` for the text a reader can select and search, `pdffonts` for the embedded fonts,
//! `pdfinfo` for the page count. Expectations come from the plan (`dxplan dump`), not from
//! earlier output.

use std::path::Path;
use std::process::Command;

use serde_json::Value as Json;

use crate::common::*;

/// A poppler tool's stdout; the tools come with Debian's poppler-utils (scripts/setup.sh).
fn poppler(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("{tool} を実行できません（poppler-utils を入れてください: scripts/test.sh が入れます） / cannot run {tool}: {e}")
    });
    assert!(
        out.status.success(),
        "{tool} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// The text of each page, in order (pdftotext ends every page with a form feed).
fn pages(pdf: &Path) -> Vec<String> {
    let text = poppler("pdftotext", &["-enc", "UTF-8", p(pdf), "-"]);
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    if pages.last().is_some_and(|s| s.trim().is_empty()) {
        pages.pop();
    }
    pages
}

fn page_count(pdf: &Path) -> usize {
    poppler("pdfinfo", &[p(pdf)])
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo prints Pages:")
}

/// Text without any whitespace: table cells wrap long titles over several lines.
fn flat(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// 「1,240,400」.
fn grouped(n: i64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn report(plan: &Path, out: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["report", p(plan), "-o", p(out)];
    args.extend(extra);
    dxplan(&args)
}

/// Pages of the 個別事業 section: each project's page opens with its heading and carries the
/// label 「基本方針・施策」, which no other page has.
fn project_pages(pages: &[String]) -> Vec<(usize, String)> {
    pages
        .iter()
        .enumerate()
        .filter(|(_, t)| t.contains("基本方針・施策"))
        .map(|(i, t)| (i, flat(t)))
        .collect()
}

/// Every project of the dump has exactly one page, in plan order, and those pages end the
/// document; every page but the cover is numbered 「n / N」.
fn assert_one_page_per_project(pdf: &Path, projects: &[&Json]) {
    let pages = pages(pdf);
    let n = page_count(pdf);
    assert_eq!(pages.len(), n, "pdftotext and pdfinfo agree on the pages");
    let proj = project_pages(&pages);
    assert_eq!(
        proj.len(),
        projects.len(),
        "one page per project ({} projects in the plan)",
        projects.len()
    );
    let first = n - projects.len();
    for (k, ((at, text), pj)) in proj.iter().zip(projects).enumerate() {
        assert_eq!(
            *at,
            first + k,
            "project pages are the last {}",
            projects.len()
        );
        // The heading's code and title (pdftotext may set them apart).
        let (code, title) = (
            pj["code"].as_str().unwrap(),
            flat(pj["title"].as_str().unwrap()),
        );
        assert!(
            text.contains(code) && text.contains(&title),
            "page {} is {code} {title}",
            at + 1
        );
    }
    for (i, t) in pages.iter().enumerate().skip(1) {
        assert!(
            flat(t).contains(&format!("{}/{n}", i + 1)),
            "page {} is numbered {}/{n}",
            i + 1,
            i + 1
        );
    }
    // The front matter: cover, contents, budget, KPI, roadmap and progress, at least a page each.
    assert!(first >= 6, "front matter of {first} pages");
}

#[test]
fn sample_report_totals_titles_fonts_and_pages() {
    let dir = tempfile::tempdir().unwrap();
    let plan = sample_plan(dir.path(), "sample.dxplan");
    let before = snapshot(&plan);
    let pdf = dir.path().join("報告書.pdf");
    let r = report(&plan, &pdf, &["--fy", "2024"]).expect_ok("dxplan report");
    assert!(r.stdout.contains("2024年度"), "{}", r.stdout);
    // A read command: the plan is as it was, no -wal or -shm left beside it.
    assert_unchanged(&before, &plan, "report");
    for side in ["-wal", "-shm"] {
        assert!(!dir.path().join(format!("sample.dxplan{side}")).exists());
    }

    let d = dump(&plan);
    let text = flat(&pages(&pdf).join("\n"));
    // §2.4 of the source: 1,240,400 千円 in all, 626,400 and 614,000 per 基本方針, and the years.
    for figure in [
        "1,240,400",
        "626,400",
        "614,000",
        "19,100",
        "170,100",
        "450,000",
    ] {
        assert!(text.contains(figure), "{figure} in the report");
    }
    for pol in d["policies"].as_array().unwrap() {
        let title = flat(pol["title"].as_str().unwrap());
        assert!(text.contains(&title), "policy 「{title}」 in the report");
    }
    for pj in projects(&d) {
        let title = flat(pj["title"].as_str().unwrap());
        assert!(text.contains(&title), "project 「{title}」 in the report");
    }
    // 和暦 beside 西暦, the report year marked, 推定 told apart (every sample task is inferred).
    for s in [
        "2024年度（令和6年度）",
        "報告年度",
        "推定",
        "目次",
        "ロードマップ",
    ] {
        assert!(text.contains(&flat(s)), "「{s}」 in the report");
    }

    let fonts = poppler("pdffonts", &[p(&pdf)]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "fonts listed:\n{fonts}");
    for row in &rows {
        // name, type, encoding, emb, sub, uni, object, id: every font embedded and subset.
        let cols: Vec<&str> = row.split_whitespace().collect();
        let n = cols.len();
        assert!(n >= 7, "{row}");
        assert_eq!(cols[n - 5], "yes", "embedded: {row}");
        assert_eq!(cols[n - 4], "yes", "subset: {row}");
        assert_eq!(cols[n - 3], "yes", "with a Unicode map (searchable): {row}");
    }

    let all: Vec<&Json> = projects(&d).iter().collect();
    assert_one_page_per_project(&pdf, &all);
}

#[test]
fn bundled_font_alone_sets_every_title() {
    let dir = tempfile::tempdir().unwrap();
    let plan = sample_plan(dir.path(), "sample.dxplan");
    let pdf = dir.path().join("report.pdf");
    let mut cmd = Command::new(exe());
    cmd.args(["report", p(&plan), "--fy", "R5", "-o", p(&pdf)])
        .env("DXPLAN_REPORT_FONTS", "bundled");
    run_cmd(cmd, LIMIT).expect_ok("report in the bundled font");
    let fonts = poppler("pdffonts", &[p(&pdf)]);
    assert!(fonts.contains("IPAexGothic"), "{fonts}");
    assert!(!fonts.contains("Noto"), "{fonts}");
    let text = flat(&pages(&pdf).join("\n"));
    assert!(text.contains("2023年度（令和5年度）"));
    for title in titles(&dump(&plan)) {
        assert!(text.contains(&flat(&title)), "「{title}」");
    }
}

#[test]
fn department_report_has_its_projects_only() {
    let dir = tempfile::tempdir().unwrap();
    let plan = sample_plan(dir.path(), "sample.dxplan");
    let d = dump(&plan);
    let unit = "情報政策課";
    let mine: Vec<&Json> = projects(&d)
        .iter()
        .filter(|pj| owners(pj).iter().any(|o| o == unit))
        .collect();
    assert!(!mine.is_empty() && mine.len() < projects(&d).len());
    let pdf = dir.path().join("情報政策課.pdf");
    report(&plan, &pdf, &["--fy", "2024", "--department", unit]).expect_ok("department report");
    assert_one_page_per_project(&pdf, &mine);
    let text = flat(&pages(&pdf).join("\n"));
    assert!(text.contains(&flat(unit)));
    for pj in projects(&d) {
        let title = flat(pj["title"].as_str().unwrap());
        let owned = mine.iter().any(|m| m["id"] == pj["id"]);
        assert_eq!(text.contains(&title), owned, "「{title}」 owned: {owned}");
    }
    // The department's budget total: the sum of its projects' budgets.
    let total: i64 = mine
        .iter()
        .flat_map(|pj| pj["budget"].as_array().unwrap())
        .filter_map(|b| b["planned_thousand_yen"].as_i64())
        .sum();
    assert!(text.contains(&grouped(total)), "department total {total}");
}

#[test]
fn version_report_and_bad_arguments() {
    let dir = tempfile::tempdir().unwrap();
    let plan = sample_plan(dir.path(), "sample.dxplan");
    dxplan(&["version", p(&plan), "--label", "第1.0版"]).expect_ok("record a version");
    let pdf = dir.path().join("v.pdf");
    report(&plan, &pdf, &["--version", "第1.0版", "--fy", "2023"]).expect_ok("version report");
    assert!(
        flat(&pages(&pdf)[0]).contains("第1.0版"),
        "the cover names the version"
    );

    let before = snapshot(&plan);
    let bad = dir.path().join("bad.pdf");
    for (args, says) in [
        (vec!["--fy", "2030"], "計画期間"),
        (vec!["--fy", "来年"], "来年"),
        (vec!["--version", "第9.9版"], "第9.9版"),
        (vec!["--department", "存在しない課"], "存在しない課"),
    ] {
        let r = report(&plan, &bad, &args);
        assert_eq!(r.code, Some(2), "{args:?}: exit 2\n{}", r.stderr);
        assert!(r.stderr.contains(says), "{args:?}: {}", r.stderr);
        assert!(!bad.exists(), "{args:?}: nothing written");
    }
    // Never over the plan.
    let r = report(&plan, &plan, &[]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert_unchanged(&before, &plan, "report -o PLAN");
}

#[test]
fn thousand_project_report() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("big.dxplan");
    dxplan(&["generate", p(&plan), "--projects", "1000"]).expect_ok("generate");
    let d = dump(&plan);
    let pdf = dir.path().join("big.pdf");
    report(&plan, &pdf, &["--fy", "2025"]).expect_ok("report of 1,000 projects");
    let all: Vec<&Json> = projects(&d).iter().collect();
    assert_eq!(all.len(), 1000);
    assert_one_page_per_project(&pdf, &all);
    // The grand total the plan's budgets add up to.
    let total: i64 = all
        .iter()
        .flat_map(|pj| pj["budget"].as_array().unwrap())
        .filter_map(|b| b["planned_thousand_yen"].as_i64())
        .sum();
    let text = flat(&pages(&pdf)[..20].join("\n"));
    assert!(text.contains(&grouped(total)), "grand total {total}");
}

#[test]
fn plan_text_is_data_never_markup() {
    // A title full of typst markup and code: printed as written, the layout untouched.
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("markup.dxplan");
    let title = r#"#set page(width: 1cm) = 見出し *太字* $x^2$ [括弧] \ #"x" <label> @ref"#;
    dxplan(&[
        "new",
        p(&plan),
        "--title",
        title,
        "--years",
        "R6～R8",
        "--city",
        "#pagebreak()市",
    ])
    .expect_ok("dxplan new");
    let pdf = dir.path().join("r.pdf");
    report(&plan, &pdf, &["--fy", "2024"]).expect_ok("report of an empty plan");
    let pages = pages(&pdf);
    let cover = flat(&pages[0]);
    assert!(cover.contains(&flat(title)), "{cover}");
    assert!(cover.contains("#pagebreak()市"), "{cover}");
    // No project: cover, contents and the five sections' pages, nothing more.
    assert!(pages.len() <= 8, "{} pages", pages.len());
    assert!(project_pages(&pages).is_empty());
    let info = poppler("pdfinfo", &[p(&pdf)]);
    assert!(info.contains("A4"), "{info}");
}
