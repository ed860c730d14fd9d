//! The totals of tables converted across generated histories: what
//! `convert` sums is kept, whatever the history did to the units.

use std::collections::BTreeMap;

use proptest::prelude::*;

/// Converts a generated table across a generated history, in process:
/// the crosswalk, and the conversion.
fn convert_generated(
    seed: u64,
    size: usize,
    rekey: bool,
) -> (reorg::crosswalk::Crosswalk, reorg::convert::Converted) {
    use reorg::convert::{KeyBy, Options, TextRule};
    use reorg::synth::{history, snapshot, Churn};

    let mut h = history(seed, size, &Churn::percent(20.0));
    if rekey {
        h.rekey(seed);
    }
    let snapshots = vec![
        snapshot("a", 2000, h.before.clone()),
        snapshot("b", 2001, h.after),
    ];
    let dataset =
        reorg::dataset::Dataset::new(snapshots, vec![], BTreeMap::new(), "generated".into());
    let history = reorg::diff::history::History::build(&dataset);
    fn day(t: &str) -> (&str, reorg::date::Day) {
        (t, reorg::date::parse_query_day(t).unwrap())
    }
    let options = reorg::crosswalk::Options::default();
    let cw = reorg::crosswalk::crosswalk(&history, day("2000"), day("2001"), &options).unwrap();
    let parts = reorg::crosswalk::parts(&history, day("2000"), day("2001").1, &options).unwrap();
    for (row, unit) in cw.rows.iter().zip(&parts.units) {
        assert_eq!((&row.unit, &row.parts), (&unit.unit, &unit.parts));
    }
    let mut table = String::from("key,n,x,t\n");
    let mut rng = reorg::synth::Rng::new(seed);
    for (i, unit) in h.before.walk().iter().enumerate() {
        let key = if i % 17 == 0 {
            "no such unit"
        } else {
            unit.id.as_str()
        };
        let x = if i % 5 == 0 {
            String::new()
        } else {
            format!("{}.{}", rng.below(1000), rng.below(100))
        };
        table.push_str(&format!("{key},{},{x},t{}\n", rng.below(100), i % 3));
    }
    let options = Options {
        key: "key".into(),
        by: KeyBy::Id,
        sum: vec!["n".into(), "x".into()],
        text: TextRule::Join,
        roll_up: None,
    };
    let converted =
        reorg::convert::convert(table.as_bytes(), None, &parts, &history, &options).unwrap();
    (cw, converted)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Whatever the history, what is read is what is written plus what is
    /// set aside, in every summed column; and the shares of every unit add
    /// up to 1. (The crosswalk and the parts a conversion uses agree.)
    #[test]
    fn totals_of_summed_columns_are_preserved(seed in 0u64..10_000, size in 40usize..400, rekey: bool) {
        let (cw, converted) = convert_generated(seed, size, rekey);
        let report = &converted.report;
        prop_assert!(report.rows > 0 && report.written > 0);
        for total in &report.totals {
            let kept = total.written + total.set_aside;
            prop_assert!((total.read - kept).abs() < 1e-6, "{}: {} read, {kept} kept", total.column, total.read);
        }
        // The cells written add up to the total written, to their six
        // decimals.
        for (i, total) in report.totals.iter().enumerate() {
            let column = 1 + i;
            let cells: f64 = converted.rows.iter().map(|r| r[column].parse::<f64>().unwrap_or(0.0)).sum();
            prop_assert!((cells - total.written).abs() < 1e-6 * converted.rows.len() as f64 + 1e-9);
        }
        for row in &cw.rows {
            let shares: f64 = row.parts.iter().map(|p| p.share).sum();
            prop_assert!((shares - 1.0).abs() < 1e-9, "{}", row.unit.id);
        }
    }
}
