//! Renderers of a [`Report`]: Markdown (with Mermaid pictures), a
//! self-contained HTML page (inline CSS, no script, nothing fetched), and
//! the versioned JSON contract.

use std::fmt::Write as _;

use maud::{html, Markup, PreEscaped, DOCTYPE};
use serde::Serialize;

use super::escape;
use crate::report::{Citation, Mark, Report, Sentence, TreeLine};

/// The version of the JSON document.
pub(crate) const SCHEMA: &str = "reorg.report/2";

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
pub(crate) fn markdown(report: &Report) -> String {
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
pub(crate) fn html(report: &Report, picture: Option<&str>) -> String {
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (report.title) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header {
                    h1 { (report.title) }
                    p.period { (total(report)) " " (report.period) ": " (counts_text(report)) "." }
                }
                section #summary {
                    h2 { "Summary" }
                    table {
                        tr { th { "kind" } th { "changes" } }
                        @for (kind, n) in &report.counts {
                            tr { td { (kind.name()) } td { (n) } }
                        }
                    }
                }
                @if let Some(svg) = picture {
                    section #flow {
                        h2 { "Picture" }
                        // The picture escapes its own text (render::svg).
                        div.picture { (PreEscaped(svg)) }
                    }
                }
                section #changes {
                    h2 { "Changes" }
                    @for section in &report.sections {
                        section.group {
                            h3 { (section.heading) }
                            ul { @for s in &section.sentences { li { (sentence(s)) } } }
                        }
                    }
                }
                section #structure {
                    h2 { "Structure" }
                    div.trees {
                        @for (caption, lines) in [("Before", &report.before), ("After", &report.after)] {
                            figure { figcaption { (caption) } (tree(lines)) }
                        }
                    }
                    p.legend {
                        span.unit.changed { "changed" }
                        span.unit.new { "new" }
                        span.unit.gone { "gone by the end" }
                    }
                }
                section #sources {
                    h2 { "Sources" }
                    ol.sources { @for c in &report.sources { (source(c)) } }
                }
            }
        }
    };
    page.into_string() + "\n"
}

fn sentence(s: &Sentence) -> Markup {
    html! {
        (s.text)
        @if let Some(caveat) = &s.caveat { " " span.caveat { (caveat) } }
        @for n in &s.citations { sup { a href={ "#source-" (n) } { "[" (n) "]" } } }
    }
}

fn source(c: &Citation) -> Markup {
    html! {
        li id={ "source-" (c.number) } {
            (c.title)
            @for extra in [&c.publisher, &c.date].into_iter().flatten() { ", " (extra) }
            @match &c.url {
                Some(url) if linkable(url) => { ". " a href=(url) { (url) } }
                Some(url) => { ". " (url) }
                None => {}
            }
        }
    }
}

/// Nested lists, one level per depth: `lines` are in preorder, so a
/// line's sub-units are the deeper lines that follow it.
fn tree(lines: &[TreeLine]) -> Markup {
    html! { ul.tree { (tree_items(lines)) } }
}

/// The items of one list: each line at the depth of the first, with the
/// deeper lines after it as its own list.
fn tree_items(lines: &[TreeLine]) -> Markup {
    let Some(depth) = lines.first().map(|l| l.depth) else {
        return html! {};
    };
    let mut items: Vec<(&TreeLine, &[TreeLine])> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let end = lines[i + 1..]
            .iter()
            .position(|l| l.depth <= depth)
            .map_or(lines.len(), |p| i + 1 + p);
        items.push((&lines[i], &lines[i + 1..end]));
        i = end;
    }
    html! {
        @for (line, below) in items {
            li {
                span class={ "unit" @if let Some(c) = mark_class(line.mark) { " " (c) } } { (line.label) }
                @if !below.is_empty() { ul { (tree_items(below)) } }
            }
        }
    }
}

#[derive(Serialize)]
struct JsonReport<'a> {
    schema: &'static str,
    #[serde(flatten)]
    report: &'a Report,
}

/// The `reorg.report/2` JSON document.
pub(crate) fn json(report: &Report) -> String {
    serde_json::to_string_pretty(&JsonReport {
        schema: SCHEMA,
        report,
    })
    .expect("JSON of plain values")
        + "\n"
}
