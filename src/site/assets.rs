//! The files every site shares: its style sheet, its one small script,
//! and the marker that tells `reorg site` a directory is a site it wrote.

pub(super) const MARKER_TEXT: &str = "This directory is a website written by `reorg site`.\n\
Writing the site again replaces the whole directory.\n";

/// The style sheet: readable text, a header with the search box, tables,
/// the organization charts as indented lists, and pictures that scroll
/// sideways rather than shrink.
const CSS: &str = r#"*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",Arial,sans-serif;color:#1b1f24;background:#fff}
a{color:#0b5cad}a:visited{color:#5a3d99}
header.site{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.5rem;padding:.6rem 1.25rem;background:#1f3a5f;color:#fff}
header.site a{color:#fff;text-decoration:none}header.site a:hover{text-decoration:underline}
header.site .home{font-weight:700;font-size:1.05rem}
header.site nav{display:flex;gap:1rem;flex-wrap:wrap}
form.search{margin-left:auto;display:flex;gap:.3rem}
form.search input{font:inherit;padding:.2rem .5rem;border:1px solid #8aa1bd;border-radius:4px;min-width:14rem}
form.search button,#compare button{font:inherit;padding:.2rem .8rem;border:1px solid #8aa1bd;border-radius:4px;background:#e9eef5;color:#1b1f24;cursor:pointer}
main{max-width:76rem;margin:0 auto;padding:1rem 1.25rem 3rem}
h1{font-size:1.7rem;line-height:1.25;margin:.8rem 0 .3rem}
h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #d8dee4;padding-bottom:.2rem}
.lede{color:#57606a;margin-top:0}
table{border-collapse:collapse;margin:.5rem 0}
th,td{border:1px solid #d8dee4;padding:.25rem .6rem;text-align:left;vertical-align:top}
th{background:#f3f5f8}
figure.picture{margin:1rem 0;overflow-x:auto;border:1px solid #d8dee4;border-radius:6px;padding:.5rem;background:#fff}
figure.picture svg{display:block;max-width:none}
ul.chart,ul.chart ul{list-style:none;margin:0;padding-left:1.3rem;border-left:1px solid #c9d1d9}
ul.chart{padding-left:0;border-left:none}
ul.chart li{margin:.15rem 0}
.carried{color:#57606a}
.carried a{color:#4b6f96}
.kind{display:inline-block;min-width:7.5rem;font-size:.85rem;font-weight:600;color:#fff;border-radius:3px;padding:0 .4rem;margin-right:.4rem;text-align:center}
ul.changes{list-style:none;padding-left:0}
ul.changes li{margin:.45rem 0}
.caveat{color:#6a4f00;font-style:italic}
.units a{margin-right:.6rem}
.muted{color:#57606a;font-size:.9rem}
ol.sources li{margin:.3rem 0;word-break:break-word}
details.from{margin:.3rem 0}details.from summary{cursor:pointer}
details.from ul{margin:.2rem 0 .6rem}
ul.pairs{display:flex;flex-wrap:wrap;gap:.2rem 1rem;list-style:none;padding-left:1rem}
#compare{display:flex;flex-wrap:wrap;gap:.6rem 1rem;align-items:end;margin:1rem 0;padding:.8rem;background:#f3f5f8;border-radius:6px}
#compare label{display:flex;flex-direction:column;font-size:.9rem}
#compare select{font:inherit;padding:.2rem}
#compare-message{color:#a40e26;width:100%;margin:0}
ul.units-list{columns:22rem auto;list-style:none;padding-left:0}
ul.units-list li{break-inside:avoid;margin:.1rem 0}
#results li{margin:.3rem 0}
footer{max-width:76rem;margin:0 auto;padding:1rem 1.25rem;color:#57606a;font-size:.85rem;border-top:1px solid #d8dee4}
"#;

/// The site's style sheet, with the rules of the pictures in its pages.
pub(super) fn css() -> String {
    format!("{CSS}{}\n", crate::render::svg::style_sheet())
}

/// The script of the search page (filtering the units' index by the words
/// typed) and of the comparison page (opening the page of the two
/// snapshots chosen). Text goes into the page as text nodes, never as
/// markup.
pub(super) const JS: &str = r#"// reorg site: search and compare. Every page works without this script.
(function () {
  "use strict";

  // Lowercase, accents removed, anything but letters and digits a space:
  // how reorg folds names for its index.
  function fold(s) {
    return s.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  }

  function search(units, results, all) {
    var query = new URLSearchParams(window.location.search).get("q") || "";
    var box = document.getElementById("q");
    if (box) { box.value = query; }
    var words = fold(query).split(" ").filter(function (w) { return w.length > 0; });
    if (words.length === 0) { return; }
    var found = [];
    units.forEach(function (u) {
      // u: [page, name, years, folded names of every era]
      var names = u[3];
      if (!words.every(function (w) { return names.indexOf(w) >= 0; })) { return; }
      var label = fold(u[1]);
      var rank = label === words.join(" ") ? 0 : (label.indexOf(words[0]) === 0 ? 1 : 2);
      found.push([rank, u]);
    });
    found.sort(function (a, b) { return a[0] - b[0] || (a[1][1] < b[1][1] ? -1 : a[1][1] > b[1][1] ? 1 : 0); });
    var heading = document.getElementById("results-heading");
    heading.textContent = found.length + (found.length === 1 ? " unit matches " : " units match ") + "\u201c" + query + "\u201d";
    found.slice(0, 200).forEach(function (f) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = f[1][0];
      a.textContent = f[1][1];
      li.appendChild(a);
      var years = document.createElement("span");
      years.className = "muted";
      years.textContent = " " + f[1][2];
      li.appendChild(years);
      results.appendChild(li);
    });
    results.hidden = false;
    heading.hidden = false;
    if (all) { all.hidden = true; }
  }

  function compare(form) {
    var message = document.getElementById("compare-message");
    form.hidden = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var from = form.elements.from.selectedOptions[0];
      var to = form.elements.to.selectedOptions[0];
      var a = Number(from.dataset.order), b = Number(to.dataset.order);
      if (a === b) {
        message.textContent = "Choose two different snapshots.";
        return;
      }
      var first = a < b ? from : to, second = a < b ? to : from;
      window.location.href = first.value + "--" + second.value + ".html";
    });
  }

  var results = document.getElementById("results");
  if (results && window.REORG_UNITS) {
    search(window.REORG_UNITS, results, document.getElementById("all-units"));
  }
  var form = document.getElementById("compare");
  if (form) { compare(form); }
})();
"#;
