//! Renderers of a [`Report`]: Markdown (with Mermaid pictures), a
//! self-contained HTML page (inline CSS, no script, nothing fetched), and
//! the versioned JSON contract.

use std::fmt::Write as _;

use serde::Serialize;

use super::escape;
use crate::report::{Mark, Report, Sentence, TreeLine};

/// The version of the JSON document.
pub const SCHEMA: &str = "reorg.report/2";

/// "26 established, 6 renamed and 1 split".
fn counts_text(report: &Report) -> String {
    let parts: Vec<String> = report
        .counts
        .iter()
        .map(|(k, n)| format!("{n} {}", k.words()))
        .collect();
    match parts.as_slice() {
        [] => "no changes".to_string(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// "1 change", "37 changes".
fn total(report: &Report) -> String {
    match report.counts.iter().map(|(_, n)| n).sum() {
        1 => "1 change".to_string(),
        n => format!("{n} changes"),
    }
}

/// A web address safe to link to: http or https only.
fn linkable(url: &str) -> bool {
    url.starts_with("https://") || url.starts_with("http://")
}

/// Markdown, for a README, a wiki or a static site.
pub fn markdown(report: &Report) -> String {
    let mut out = format!("# {}\n\n", escape::markdown(&report.title));
    let _ = writeln!(
        out,
        "{} {}: {}.\n",
        total(report),
        escape::markdown(&report.period),
        escape::markdown(&counts_text(report))
    );
    out.push_str("## Summary\n\n| kind | changes |\n|---|---|\n");
    for (kind, n) in &report.counts {
        let _ = writeln!(out, "| {} | {n} |", escape::markdown(&kind.words()));
    }
    out.push_str("\n## Changes\n");
    for section in &report.sections {
        let _ = write!(out, "\n### {}\n\n", escape::markdown(&section.heading));
        for s in &section.sentences {
            let _ = writeln!(out, "- {}", markdown_sentence(s));
        }
    }
    out.push_str("\n## Structure\n");
    for (title, lines) in [("Before", &report.before), ("After", &report.after)] {
        let _ = write!(
            out,
            "\n### {title}\n\n```mermaid\n{}```\n",
            mermaid_tree(lines)
        );
    }
    out.push_str(
        "\nLegend: changed units are outlined, new ones green, units gone by the end red.\n",
    );
    out.push_str("\n## Sources\n\n");
    for c in &report.sources {
        let _ = write!(out, "{}. {}", c.number, escape::markdown(&c.title));
        for extra in [&c.publisher, &c.date].into_iter().flatten() {
            let _ = write!(out, ", {}", escape::markdown(extra));
        }
        match &c.url {
            Some(url) if linkable(url) => {
                let _ = write!(out, ". <{}>", escape::autolink(url));
            }
            Some(url) => {
                let _ = write!(out, ". {}", escape::markdown(url));
            }
            None => {}
        }
        out.push('\n');
    }
    out
}

fn markdown_sentence(s: &Sentence) -> String {
    let mut line = escape::markdown(&s.text);
    if let Some(caveat) = &s.caveat {
        let _ = write!(line, " *{}*", escape::markdown(caveat));
    }
    for n in &s.citations {
        let _ = write!(line, " \\[{n}\\]");
    }
    line
}

/// A Mermaid picture of a structure, top down, units marked by class.
fn mermaid_tree(lines: &[TreeLine]) -> String {
    let mut out = String::from("flowchart TD\n");
    out.push_str("  classDef changed stroke-width:3px\n  classDef new fill:#d9f2d9\n  classDef gone fill:#f6d5d5\n");
    let mut stack: Vec<usize> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let id = escape::node_id("n", i);
        let _ = writeln!(out, "  {id}[{}]", escape::mermaid(&line.label));
        stack.truncate(line.depth);
        if let Some(&parent) = stack.last() {
            let _ = writeln!(out, "  {} --> {id}", escape::node_id("n", parent));
        }
        stack.push(i);
        if let Some(class) = mark_class(line.mark) {
            let _ = writeln!(out, "  class {id} {class}");
        }
    }
    out
}

fn mark_class(mark: Mark) -> Option<&'static str> {
    match mark {
        Mark::Unchanged => None,
        Mark::Changed => Some("changed"),
        Mark::New => Some("new"),
        Mark::Gone => Some("gone"),
    }
}

const STYLE: &str = "body{font:16px/1.5 Georgia,serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}\
h1{font-size:1.8rem;margin-bottom:.2rem}h2{border-bottom:1px solid #ccc;margin-top:2rem}\
.period{color:#555;margin-top:0}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .6rem;text-align:left}\
.caveat{color:#6a4f00;font-style:italic}sup a{text-decoration:none}\
.trees{display:flex;gap:2rem;flex-wrap:wrap}.trees figure{flex:1;min-width:18rem;margin:0}\
figcaption{font-weight:bold;margin-bottom:.5rem}\
ul.tree,ul.tree ul{list-style:none;margin:0;padding-left:1.2rem;border-left:1px solid #bbb}\
ul.tree{border-left:none;padding-left:0}ul.tree li{margin:.2rem 0}\
.unit{display:inline-block;border:1px solid #999;border-radius:4px;padding:.1rem .4rem;background:#fafafa}\
.changed{border-width:3px}.new{background:#d9f2d9}.gone{background:#f6d5d5;text-decoration:line-through}\
.legend span{margin-right:1rem}ol.sources li{margin:.3rem 0;word-break:break-word}\
.picture{overflow-x:auto}.picture svg{max-width:none}";

/// A self-contained HTML page: inline CSS, no script, no fetched resource.
/// `picture` is the change-flow picture (SVG) to show after the summary.
pub fn html(report: &Report, picture: Option<&str>) -> String {
    let title = escape::html(&report.title);
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
    );
    let _ = write!(
        out,
        "<header>\n<h1>{title}</h1>\n<p class=\"period\">{} {}: {}.</p>\n</header>\n",
        total(report),
        escape::html(&report.period),
        escape::html(&counts_text(report))
    );
    out.push_str("<section id=\"summary\">\n<h2>Summary</h2>\n<table>\n<tr><th>kind</th><th>changes</th></tr>\n");
    for (kind, n) in &report.counts {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{n}</td></tr>",
            escape::html(kind.name())
        );
    }
    out.push_str("</table>\n</section>\n");
    if let Some(svg) = picture {
        // The picture escapes its own text (render::svg).
        let _ = write!(
            out,
            "<section id=\"flow\">\n<h2>Picture</h2>\n<div class=\"picture\">\n{svg}</div>\n</section>\n"
        );
    }
    out.push_str("<section id=\"changes\">\n<h2>Changes</h2>\n");
    for section in &report.sections {
        let _ = write!(
            out,
            "<section class=\"group\">\n<h3>{}</h3>\n<ul>\n",
            escape::html(&section.heading)
        );
        for s in &section.sentences {
            let _ = writeln!(out, "<li>{}</li>", html_sentence(s));
        }
        out.push_str("</ul>\n</section>\n");
    }
    out.push_str(
        "</section>\n<section id=\"structure\">\n<h2>Structure</h2>\n<div class=\"trees\">\n",
    );
    for (caption, lines) in [("Before", &report.before), ("After", &report.after)] {
        let _ = write!(
            out,
            "<figure>\n<figcaption>{caption}</figcaption>\n{}</figure>\n",
            html_tree(lines)
        );
    }
    out.push_str("</div>\n<p class=\"legend\"><span class=\"unit changed\">changed</span><span class=\"unit new\">new</span><span class=\"unit gone\">gone by the end</span></p>\n</section>\n");
    out.push_str("<section id=\"sources\">\n<h2>Sources</h2>\n<ol class=\"sources\">\n");
    for c in &report.sources {
        let _ = write!(
            out,
            "<li id=\"source-{}\">{}",
            c.number,
            escape::html(&c.title)
        );
        for extra in [&c.publisher, &c.date].into_iter().flatten() {
            let _ = write!(out, ", {}", escape::html(extra));
        }
        match &c.url {
            Some(url) if linkable(url) => {
                let url = escape::html(url);
                let _ = write!(out, ". <a href=\"{url}\">{url}</a>");
            }
            Some(url) => {
                let _ = write!(out, ". {}", escape::html(url));
            }
            None => {}
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ol>\n</section>\n</body>\n</html>\n");
    out
}

fn html_sentence(s: &Sentence) -> String {
    let mut out = escape::html(&s.text);
    if let Some(caveat) = &s.caveat {
        let _ = write!(
            out,
            " <span class=\"caveat\">{}</span>",
            escape::html(caveat)
        );
    }
    for n in &s.citations {
        let _ = write!(out, "<sup><a href=\"#source-{n}\">[{n}]</a></sup>");
    }
    out
}

/// Nested lists, one level per depth (in preorder a line is at most one
/// level deeper than the one before it).
fn html_tree(lines: &[TreeLine]) -> String {
    let mut out = String::new();
    let mut previous: Option<usize> = None;
    let mut open_lists = 0;
    for line in lines {
        match previous {
            None => {
                out.push_str("<ul class=\"tree\">");
                open_lists = 1;
            }
            Some(p) if line.depth > p => {
                out.push_str("<ul>");
                open_lists += 1;
            }
            Some(p) => {
                out.push_str("</li>");
                for _ in line.depth..p {
                    out.push_str("</ul></li>");
                    open_lists -= 1;
                }
            }
        }
        let class = mark_class(line.mark).map_or(String::new(), |c| format!(" {c}"));
        let _ = write!(
            out,
            "\n<li><span class=\"unit{class}\">{}</span>",
            escape::html(&line.label)
        );
        previous = Some(line.depth);
    }
    if previous.is_some() {
        out.push_str("</li>");
        for _ in 1..open_lists {
            out.push_str("</ul></li>");
        }
        out.push_str("</ul>");
    }
    out.push('\n');
    out
}

#[derive(Serialize)]
struct JsonReport<'a> {
    schema: &'static str,
    #[serde(flatten)]
    report: &'a Report,
}

/// The `reorg.report/2` JSON document.
pub fn json(report: &Report) -> String {
    serde_json::to_string_pretty(&JsonReport {
        schema: SCHEMA,
        report,
    })
    .expect("JSON of plain values")
        + "\n"
}
