//! Diagrams for wikis and browsers: Mermaid flowcharts (golden files, each
//! drawn by the Mermaid CLI when it is installed) and the self-contained
//! HTML page, opened in headless Chromium: a script clicks a node and the
//! test reads the side panel; a screenshot is kept as an artifact.
//!
//! Regenerate the golden files after a reviewed change with
//! `UPDATE_GOLDEN=1 cargo test --test web`, then read the diff.

use std::path::{Path, PathBuf};
use std::process::Command;

use assert_cmd::Command as Cli;

fn golden(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/mermaid")
        .join(name)
}

fn check_golden(name: &str, actual: &str) {
    let path = golden(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run UPDATE_GOLDEN=1 cargo test --test web)", path.display()));
    assert!(
        expected == actual,
        "{} differs from the output (after review: UPDATE_GOLDEN=1 cargo test --test web)",
        path.display()
    );
}

fn export(args: &[&str]) -> String {
    let out = Cli::cargo_bin("rolegraph")
        .unwrap()
        .arg("export")
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The Mermaid CLI (`mmdc`) and a Chromium for it, or why not.
fn mermaid_cli() -> Result<(PathBuf, PathBuf), String> {
    let mmdc =
        which("mmdc").ok_or("the Mermaid CLI 'mmdc' is not installed (npm install -g @mermaid-js/mermaid-cli)")?;
    let chromium = chromium().ok_or("no Chromium for the Mermaid CLI (apt-get install chromium)")?;
    Ok((mmdc, chromium))
}

fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|d| Path::new(d).join(name))
        .find(|p| p.is_file())
}

fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|n| which(n))
}

/// Draws `chart` with the Mermaid CLI; the SVG, or the reason it was skipped.
fn mmdc_svg(chart: &str, dir: &Path, name: &str) -> Option<String> {
    let (mmdc, chromium) = match mermaid_cli() {
        Ok(x) => x,
        Err(why) => {
            println!("skipped: {why}");
            return None;
        }
    };
    let config = dir.join("puppeteer.json");
    std::fs::write(
        &config,
        serde_json::json!({"executablePath": chromium, "args": ["--no-sandbox", "--disable-gpu"]}).to_string(),
    )
    .unwrap();
    let input = dir.join(format!("{name}.mmd"));
    let output = dir.join(format!("{name}.svg"));
    std::fs::write(&input, chart).unwrap();
    let out = Command::new(mmdc)
        .arg("-i")
        .arg(&input)
        .arg("-o")
        .arg(&output)
        .arg("-p")
        .arg(&config)
        .arg("-q")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{name}: mmdc failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let svg = std::fs::read_to_string(&output).unwrap();
    assert!(svg.contains("<svg") && !svg.contains("Syntax error"), "{name}: {svg}");
    Some(svg)
}

#[test]
fn mermaid_charts_are_golden_and_draw() {
    let dir = tempfile::tempdir().unwrap();
    for (name, args) in [
        ("orgchart.mmd", &["orgchart", "--format", "mermaid"][..]),
        ("orgchart-cto.mmd", &["orgchart", "CTO", "--format", "mermaid"][..]),
        (
            "overlap-cio-cto-cpo.mmd",
            &["overlap", "chief-information-officer,CTO,CPO", "--format", "mermaid"][..],
        ),
        (
            "diff-cto-chief-innovation-officer.mmd",
            &["diff", "CTO,chief-innovation-officer", "--format", "mermaid"][..],
        ),
        (
            "path-cpo-ceo-all.mmd",
            &[
                "path",
                "CPO",
                "TO",
                "chief-executive-officer",
                "ALL",
                "--format",
                "mermaid",
            ][..],
        ),
        (
            "query-reports-to.mmd",
            &[
                "query",
                "MATCH p = (:Role)-[:REPORTS_TO]->() RETURN p",
                "--format",
                "mermaid",
            ][..],
        ),
    ] {
        let chart = export(args);
        assert!(chart.starts_with("---\ntitle: "), "{name}");
        assert!(chart.contains("\nflowchart "), "{name}");
        // Ids stay out of the labels; they are in comments.
        assert!(!chart.contains("(chief-technology-officer)"), "{name}");
        check_golden(name, &chart);
        if let Some(svg) = mmdc_svg(&chart, dir.path(), name.trim_end_matches(".mmd")) {
            assert!(svg.contains("Chief"), "{name}");
        }
    }
}

#[test]
fn mermaid_files_by_extension_and_markdown() {
    let dir = tempfile::tempdir().unwrap();
    let mmd = dir.path().join("org.mmd");
    let md = dir.path().join("org.md");
    for p in [&mmd, &md] {
        Cli::cargo_bin("rolegraph")
            .unwrap()
            .args(["export", "orgchart", "-o"])
            .arg(p)
            .assert()
            .success();
    }
    let chart = std::fs::read_to_string(&mmd).unwrap();
    assert_eq!(chart, export(&["orgchart", "--format", "mermaid"]));
    assert_eq!(
        std::fs::read_to_string(&md).unwrap(),
        format!("```mermaid\n{chart}```\n")
    );
}

#[test]
fn hostile_names_stay_inside_mermaid_labels() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("nodes.toml"),
        r#"
[[node]]
label = "Source"
id = "s"
name = "S"

[[node]]
label = "Role"
id = "a"
name = "A \"quoted\" <b>#1</b> ]) --> x; end `tick`"
sources = ["s"]

[[node]]
label = "Role"
id = "b"
name = "B\nsecond line"
sources = ["s"]

[[rel]]
type = "REPORTS_TO"
from = "a"
to = "b"
sources = ["s"]
"#,
    )
    .unwrap();
    let out = Cli::cargo_bin("rolegraph")
        .unwrap()
        .args([
            "--data",
            dir.path().to_str().unwrap(),
            "export",
            "orgchart",
            "--format",
            "mermaid",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let chart = String::from_utf8(out.stdout).unwrap();
    assert!(
        chart.contains("A #quot;quoted#quot; #lt;b#gt;#35;1#lt;/b#gt; ]) --#gt; x; end #96;tick#96;"),
        "{chart}"
    );
    assert!(chart.contains("B<br/>second line"), "{chart}");
    // Every node line is `id(\"...\")`: nothing escaped its quotes.
    for line in chart
        .lines()
        .filter(|l| l.trim_start().starts_with('n') && l.contains('"'))
    {
        assert_eq!(line.matches('"').count(), 2, "{line}");
    }
    let work = tempfile::tempdir().unwrap();
    if let Some(svg) = mmdc_svg(&chart, work.path(), "hostile") {
        assert!(svg.contains("second line"));
    }
}

// ------------------------------------------------------------ the HTML page

fn dot_installed() -> bool {
    Command::new("dot").arg("-V").output().is_ok_and(|o| o.status.success())
}

/// Where the test keeps what a person may want to look at afterwards.
fn artifacts() -> PathBuf {
    let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-artifacts");
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn html_page_is_self_contained_and_works_in_chromium() {
    if !dot_installed() {
        println!("skipped: graphviz 'dot' not installed (the page inlines dot's SVG)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("diff.html");
    Cli::cargo_bin("rolegraph")
        .unwrap()
        .args(["export", "diff", "CTO,chief-innovation-officer", "-o"])
        .arg(&page)
        .assert()
        .success();
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<svg") && html.contains("id=\"panel\"") && html.contains("id=\"search\""));
    // Nothing to fetch: no scripts, styles or images from elsewhere (the
    // SVG's namespace names are names, not requests).
    for bad in ["src=\"http", "href=\"http", "@import", "url(http"] {
        assert!(!html.contains(bad), "{bad}");
    }
    assert!(html.contains("cto-vs-innovation-officer"), "sources listed");

    let Some(chromium) = chromium() else {
        println!("skipped: Chromium not installed (apt-get install chromium); checked the page's text only");
        return;
    };
    // A copy of the page with a script that does what a person would: click
    // the CTO's box, then search for an alias.
    let driven = dir.path().join("driven.html");
    let script = r#"<script>
window.addEventListener('load', function () {
  var node = document.getElementById('node:chief-technology-officer');
  node.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true}));
  var search = document.getElementById('search');
  search.value = 'CTO';
  search.dispatchEvent(new Event('input'));
  document.body.setAttribute('data-driven', 'yes');
});
</script></body>"#;
    std::fs::write(&driven, html.replace("</body>", script)).unwrap();
    let url = format!("file://{}", driven.display());
    let profile = dir.path().join("profile");
    let run = |extra: &[&str]| {
        Command::new(&chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--virtual-time-budget=5000",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .args(extra)
            .arg(&url)
            .output()
            .unwrap()
    };
    let out = run(&["--dump-dom"]);
    let dom = String::from_utf8_lossy(&out.stdout);
    assert!(
        dom.contains("data-driven=\"yes\""),
        "the page's script did not run: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let panel = &dom[dom.find("id=\"panel\"").unwrap()..];
    let panel = &panel[..panel.find("</aside>").unwrap()];
    assert!(panel.contains("<h2>Chief Technology Officer</h2>"), "{panel}");
    assert!(
        panel.contains("REPORTS_TO") && panel.contains("[cpo-vs-cto]"),
        "{panel}"
    );
    assert!(panel.contains("(medium)"), "confidence shown: {panel}");
    // Sources on their own line under each fact (one cell across the row).
    assert!(
        panel.contains("<tr class=\"cite\"><td class=\"muted\" colspan=\"3\">[cpo-vs-cto]"),
        "{panel}"
    );
    assert!(
        dom.contains("class=\"node hit") || dom.contains("hit\""),
        "search highlights the CTO"
    );
    assert!(dom.contains("id=\"found\">"), "{dom}");
    // The sources at the foot, with their titles.
    assert!(dom.contains("What is the difference between CTO and chief innovation officer?"));

    let shot = artifacts().join("html-page-diff.png");
    let _ = std::fs::remove_file(&shot);
    let out = run(&["--window-size=1600,1000", &format!("--screenshot={}", shot.display())]);
    assert!(shot.exists(), "no screenshot: {}", String::from_utf8_lossy(&out.stderr));
    let bytes = std::fs::read(&shot).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    println!("screenshot kept at {}", shot.display());
}
