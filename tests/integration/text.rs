//! What a person reads in a terminal: `reorg diff 2008 2024` pinned at 80
//! and 120 columns; every command's text output within the width, on the
//! embedded history and on the hostile fixture, words never cut; colour
//! and symbols in a real pseudo-terminal, and none with `NO_COLOR`.

use unicode_width::UnicodeWidthStr;

use crate::util::{fixture, reorg};

/// `reorg ARGS` at a width (`None`: piped, no `COLUMNS`), stdout.
fn at_width(width: Option<usize>, args: &[&str]) -> String {
    let mut cmd = reorg();
    match width {
        Some(w) => cmd.env("COLUMNS", w.to_string()),
        None => cmd.env_remove("COLUMNS"),
    };
    let out = cmd.args(args).output().expect("the binary runs");
    assert!(
        out.status.success(),
        "reorg {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

#[test]
fn diff_2008_2024_at_80_columns() {
    insta::assert_snapshot!(
        "diff_2008_2024_80",
        at_width(Some(80), &["diff", "2008", "2024"])
    );
}

#[test]
fn diff_2008_2024_at_120_columns() {
    insta::assert_snapshot!(
        "diff_2008_2024_120",
        at_width(Some(120), &["diff", "2008", "2024"])
    );
}

/// Every command that prints text for people, on the embedded history.
const EMBEDDED: &[&[&str]] = &[
    &["snapshots"],
    &["show"],
    &["show", "--at", "2008"],
    &["show", "--format", "table"],
    &["diff", "2008", "2024"],
    &["diff", "2008", "2024", "-v"],
    &["diff", "2008", "2024", "--format", "table"],
    &["diff", "2003", "2021", "--under", "HSI", "-v"],
    &["timeline"],
    &["timeline", "-v"],
    &["timeline", "--format", "table"],
    &["lineage", "LEISI"],
    &["lineage", "Office of Investigations"],
    &["lineage", "NIRU"],
    &["find", "intel"],
    &["crosswalk", "2008", "2024"],
    &["check"],
];

/// The same on the hostile fixture (`--data` is added).
const HOSTILE: &[&[&str]] = &[
    &["snapshots"],
    &["show"],
    &["show", "--format", "table"],
    &["diff", "2000", "2013"],
    &["diff", "2000", "2013", "-v"],
    &["diff", "2000", "2013", "--format", "table"],
    &["timeline", "-v"],
    &["timeline", "--format", "table"],
    &["lineage", "hq"],
    &["find", "office"],
    &["crosswalk", "2001", "2013"],
];

fn commands() -> Vec<Vec<String>> {
    let hostile = fixture("hostile");
    let embedded = EMBEDDED
        .iter()
        .map(|args| args.iter().map(std::string::ToString::to_string).collect());
    let with_data = HOSTILE.iter().map(|args| {
        let mut all = vec!["--data".to_string(), hostile.clone()];
        all.extend(args.iter().map(std::string::ToString::to_string));
        all
    });
    embedded.chain(with_data).collect()
}

#[test]
fn every_text_output_fits_the_width_and_cuts_no_word() {
    for args in commands() {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let piped = at_width(None, &args);
        assert!(!piped.trim().is_empty(), "{args:?} prints something");
        let words = |text: &str| {
            let mut words: Vec<String> = text
                .split_whitespace()
                // Table borders are drawn anew at each width.
                .filter(|w| !w.chars().all(|c| "│┌┐└┘├┤┬┴┼─".contains(c)))
                .map(|w| w.trim_matches(|c| "│".contains(c)).to_string())
                .collect();
            words.sort();
            words
        };
        for width in [80, 120] {
            let out = at_width(Some(width), &args);
            for line in out.lines() {
                assert!(
                    line.width() <= width,
                    "{args:?} at {width}: {} columns:\n{line}",
                    line.width()
                );
            }
            // Tables cut their evidence column to fit; everything else is
            // the same words, wrapped.
            let tabled = ["table", "snapshots", "find", "crosswalk"];
            if !tabled.iter().any(|t| args.contains(t)) {
                assert_eq!(words(&out), words(&piped), "{args:?} at {width}");
            }
        }
    }
}

#[test]
fn piped_text_keeps_each_change_on_one_line() {
    let json: serde_json::Value = serde_json::from_str(&at_width(
        None,
        &["diff", "2008", "2024", "--format", "json"],
    ))
    .unwrap();
    let changes = json["changes"].as_array().unwrap().len();
    assert!(changes > 0);
    let text = at_width(None, &["diff", "2008", "2024"]);
    // Two spaces, then the change: a heading is not indented, and
    // nothing is continued.
    let entries = text.lines().filter(|l| l.starts_with("  ")).count();
    assert!(!text.lines().any(|l| l.starts_with("   ")), "{text}");
    assert_eq!(entries, changes, "{text}");
    let wrapped = at_width(Some(80), &["diff", "2008", "2024"]);
    // After the summary, an entry starts two columns in, with its kind.
    let (_summary, entries) = wrapped.split_once("\n\n").unwrap();
    let starts = entries
        .lines()
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter(|l| l.split_whitespace().next().is_some_and(is_a_kind))
        .count();
    assert_eq!(starts, changes, "one entry per change at 80 columns");
}

fn is_a_kind(word: &str) -> bool {
    reorg::model::ChangeKind::ALL
        .iter()
        .any(|k| k.name().split('_').next() == Some(word))
}

#[test]
fn verbose_text_gives_the_evidence_and_sources() {
    let text = at_width(Some(100), &["diff", "2008", "2024", "-v", "--under", "ERO"]);
    assert!(
        text.contains("· curated event (high confidence), snapshots/events.ron:"),
        "{text}"
    );
    assert!(text.contains("sources: klasko-2010"), "{text}");
}

#[cfg(unix)]
mod terminal {
    use std::io::Read;
    use std::process::{Command, Stdio};

    use rustix::pty::{grantpt, openpt, ptsname, unlockpt, OpenptFlags};
    use rustix::termios::{tcsetwinsize, Winsize};

    /// Runs `reorg ARGS` with its output on a pseudo-terminal of 100
    /// columns, with these environment variables, and returns what it
    /// printed.
    fn in_a_terminal(args: &[&str], env: &[(&str, &str)]) -> String {
        let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY).expect("a pseudo-terminal");
        grantpt(&master).unwrap();
        unlockpt(&master).unwrap();
        let name = ptsname(&master, Vec::new()).unwrap();
        let terminal = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(name.to_str().unwrap())
            .unwrap();
        let size = Winsize {
            ws_row: 50,
            ws_col: 100,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        tcsetwinsize(&terminal, size).unwrap();
        let mut command = Command::new(env!("CARGO_BIN_EXE_reorg"));
        command
            .args(args)
            .env_remove("REORG_DATA")
            .env_remove("COLUMNS")
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR")
            .env_remove("CLICOLOR_FORCE")
            .env("TERM", "xterm-256color")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(terminal.try_clone().unwrap())
            .stderr(Stdio::null());
        let mut child = command.spawn().expect("the binary runs");
        // Only the child holds the terminal now: reading ends when it does.
        drop(command);
        drop(terminal);
        let mut out = Vec::new();
        let mut master = std::fs::File::from(master);
        let mut buffer = [0; 4096];
        loop {
            match master.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => out.extend_from_slice(&buffer[..n]),
                // The terminal is closed once the child is gone.
                Err(e) if e.raw_os_error() == Some(rustix::io::Errno::IO.raw_os_error()) => break,
                Err(e) => panic!("reading the terminal: {e}"),
            }
        }
        assert!(child.wait().unwrap().success());
        String::from_utf8(out).unwrap().replace("\r\n", "\n")
    }

    /// The text without its escape sequences.
    fn plain(text: &str) -> String {
        let mut out = String::new();
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            if c == '\u{1b}' {
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn a_terminal_gets_colour_and_symbols_unless_no_color_is_set() {
        let coloured = in_a_terminal(&["diff", "2008", "2024"], &[]);
        assert!(coloured.contains("\u{1b}["), "colour:\n{coloured}");
        let text = plain(&coloured);
        assert!(text.contains("\n  ~ renamed"), "symbols:\n{text}");
        // Fitted to the terminal's 100 columns.
        assert!(text
            .lines()
            .all(|l| unicode_width::UnicodeWidthStr::width(l) <= 100));
        assert!(text
            .lines()
            .any(|l| unicode_width::UnicodeWidthStr::width(l) > 80));

        let uncoloured = in_a_terminal(&["diff", "2008", "2024"], &[("NO_COLOR", "1")]);
        assert!(uncoloured.contains("renamed"), "{uncoloured}");
        assert!(!uncoloured.contains('\u{1b}'), "no colour:\n{uncoloured}");
        assert!(
            !uncoloured.contains("\n  ~ renamed"),
            "no symbols:\n{uncoloured}"
        );
    }
}
