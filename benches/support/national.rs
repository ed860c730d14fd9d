//! A national-size history for the benchmarks: yearly snapshots of a
//! country's municipalities under its regions, about 1% of municipalities
//! changing a year, the way real registers change: renamed, moved to a
//! neighbouring region, merged into a neighbour, restored under the id
//! they had, or newly created. Ids are kept while a unit lives, as in
//! official registers (and as `reorg import` writes them); a few changes
//! a year are also written as curated events.
//!
//! The same seed gives the same files.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::Path;

use reorg::date::Date;
use reorg::model::{Snapshot, Unit};

/// What to generate.
pub(crate) struct Shape {
    /// Yearly snapshots, the first in 1946.
    pub years: usize,
    /// Units in each snapshot (the root and the regions included).
    pub units: usize,
    pub seed: u64,
}

/// The first year of the history.
const FIRST_YEAR: usize = 1946;

/// Municipalities under one region, on average.
const PER_REGION: usize = 400;

/// Writes the history to `dir`: one file per year (`1946.ron`, ...),
/// `events.ron` and `sources.ron`.
pub(crate) fn write(dir: &Path, shape: &Shape) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut country = Country::new(shape);
    let mut events = String::from("[\n");
    // The ids of the year before's snapshot.
    let mut seen: HashSet<String> = HashSet::new();
    for year in FIRST_YEAR..FIRST_YEAR + shape.years {
        let mut curated = Vec::new();
        if year > FIRST_YEAR {
            country.change_a_year(&mut curated);
        }
        // A unit may change twice in a year: an event is kept only when
        // the year's snapshot shows what it says.
        let shown = |e: &&Curated| {
            country.holds(&e.present) && e.seen_before.iter().all(|id| seen.contains(id))
        };
        for event in curated.iter().filter(shown) {
            let _ = writeln!(events, "    Event(date: \"{year}\", {}),", event.text);
        }
        let snapshot = country.snapshot(year);
        seen = snapshot.all_units().map(|u| u.id.clone()).collect();
        std::fs::write(
            dir.join(format!("{year}.ron")),
            reorg::write::snapshot_to_ron(&snapshot),
        )?;
    }
    events.push_str("]\n");
    std::fs::write(dir.join("events.ron"), events)?;
    std::fs::write(
        dir.join("sources.ron"),
        "[\n    Source(key: \"register\", title: \"The national register of municipalities\", publisher: \"Statistics office\"),\n]\n",
    )?;
    Ok(())
}

/// The years a history of this shape has, as snapshot dates.
pub(crate) fn years(shape: &Shape) -> (String, String) {
    (
        FIRST_YEAR.to_string(),
        (FIRST_YEAR + shape.years - 1).to_string(),
    )
}

/// A curated event, the units it says are present after it, and those
/// it says were there before.
struct Curated {
    text: String,
    present: Vec<String>,
    seen_before: Vec<String>,
}

/// A municipality as it stands.
#[derive(Clone)]
struct Municipality {
    id: String,
    name: String,
}

/// A municipality merged away, that may be restored.
struct Gone {
    municipality: Municipality,
    region: usize,
}

struct Country {
    rng: Rng,
    /// Each region's municipalities, in the order written.
    regions: Vec<Vec<Municipality>>,
    gone: Vec<Gone>,
    next_id: usize,
}

impl Country {
    fn new(shape: &Shape) -> Country {
        let mut rng = Rng(shape.seed);
        let region_count = (shape.units / (PER_REGION + 1)).max(1);
        let municipalities = shape.units - 1 - region_count;
        let mut country = Country {
            rng: Rng(0),
            regions: vec![Vec::new(); region_count],
            gone: Vec::new(),
            next_id: 0,
        };
        for i in 0..municipalities {
            let m = country.new_municipality(&mut rng);
            country.regions[i % region_count].push(m);
        }
        country.rng = rng;
        country
    }

    fn new_municipality(&mut self, rng: &mut Rng) -> Municipality {
        self.next_id += 1;
        Municipality {
            id: format!("M{:06}", self.next_id),
            name: rng.place_name(),
        }
    }

    fn municipality_count(&self) -> usize {
        self.regions.iter().map(Vec::len).sum()
    }

    fn holds(&self, ids: &[String]) -> bool {
        ids.iter()
            .all(|id| self.regions.iter().flatten().any(|m| m.id == *id))
    }

    /// About 1% of municipalities change.
    fn change_a_year(&mut self, events: &mut Vec<Curated>) {
        let changes = self.municipality_count() / 100;
        for _ in 0..changes {
            let roll = self.rng.below(100);
            match roll {
                0..40 => self.rename(),
                40..55 => self.move_to_neighbour(),
                55..75 => self.merge_into_neighbour(events),
                75..85 => self.restore(events),
                _ => self.establish(),
            }
        }
    }

    /// A region and a municipality of it, at random.
    fn pick(&mut self) -> Option<(usize, usize)> {
        let region = self.rng.below(self.regions.len());
        let len = self.regions[region].len();
        (len > 1).then(|| (region, self.rng.below(len)))
    }

    fn rename(&mut self) {
        if let Some((r, i)) = self.pick() {
            let name = self.rng.place_name();
            self.regions[r][i].name = name;
        }
    }

    fn move_to_neighbour(&mut self) {
        if let Some((r, i)) = self.pick() {
            let to = (r + 1) % self.regions.len();
            let m = self.regions[r].remove(i);
            self.regions[to].push(m);
        }
    }

    fn merge_into_neighbour(&mut self, events: &mut Vec<Curated>) {
        let Some((r, i)) = self.pick() else {
            return;
        };
        let neighbour = self.regions[r][if i == 0 { 1 } else { i - 1 }].id.clone();
        let m = self.regions[r].remove(i);
        if self.rng.below(10) == 0 {
            // Curated as ended for good: it is never restored.
            events.push(Curated {
                text: format!(
                    "kind: absorbed, from: [\"{}\", \"{neighbour}\"], to: [\"{neighbour}\"], sources: [\"register\"], confidence: high",
                    m.id
                ),
                present: vec![neighbour.clone()],
                seen_before: vec![m.id.clone(), neighbour],
            });
            return;
        }
        self.gone.push(Gone {
            municipality: m,
            region: r,
        });
    }

    fn restore(&mut self, events: &mut Vec<Curated>) {
        if self.gone.is_empty() {
            return self.establish();
        }
        let gone = self.gone.swap_remove(self.rng.below(self.gone.len()));
        if self.rng.below(10) == 0 {
            let id = gone.municipality.id.clone();
            events.push(Curated {
                text: format!(
                    "kind: restored, to: [\"{id}\"], sources: [\"register\"], confidence: medium"
                ),
                present: vec![id],
                seen_before: Vec::new(),
            });
        }
        self.regions[gone.region].push(gone.municipality);
    }

    fn establish(&mut self) {
        let mut rng = Rng(self.rng.next());
        let m = self.new_municipality(&mut rng);
        let region = self.rng.below(self.regions.len());
        self.regions[region].push(m);
    }

    fn snapshot(&self, year: usize) -> Snapshot {
        let leaf = |m: &Municipality| Unit {
            kind: Some("municipality".to_string()),
            units: Some(Vec::new()),
            ..unit(&m.id, &m.name)
        };
        let regions = self
            .regions
            .iter()
            .enumerate()
            .map(|(r, list)| Unit {
                kind: Some("region".to_string()),
                units: Some(list.iter().map(leaf).collect()),
                ..unit(&format!("R{:03}", r + 1), &format!("Region {}", r + 1))
            })
            .collect();
        Snapshot {
            id: format!("register-{year}"),
            date: Date::parse(&year.to_string()).expect("a year is a date"),
            title: format!("The register on 1 January {year}"),
            scope: None,
            sources: vec!["register".to_string()],
            note: None,
            units: vec![Unit {
                kind: Some("state".to_string()),
                units: Some(regions),
                ..unit("NATION", "The Nation")
            }],
            file: String::new(),
        }
    }
}

fn unit(id: &str, name: &str) -> Unit {
    Unit {
        id: id.to_string(),
        name: name.to_string(),
        acronym: None,
        aliases: Vec::new(),
        kind: None,
        description: None,
        note: None,
        sources: Vec::new(),
        confidence: Default::default(),
        partial: false,
        units: None,
    }
}

/// splitmix64: small, and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// A name like "Saint-Varenne-sur-Morel".
    fn place_name(&mut self) -> String {
        const SYLLABLES: &[&str] = &[
            "bar", "ville", "mont", "cour", "lan", "ber", "gny", "ris", "vau", "sel", "tor", "mar",
            "fon", "la", "né", "rou", "quin", "dre", "pey", "chal", "bois", "val",
        ];
        const PREFIXES: &[&str] = &["", "", "", "Saint-", "Sainte-", "Le ", "La ", "Les "];
        const SUFFIXES: &[&str] = &["", "", "", "", "-sur-Morel", "-en-Brie", "-les-Bains"];
        let mut word = String::new();
        for _ in 0..2 + self.below(3) {
            word.push_str(SYLLABLES[self.below(SYLLABLES.len())]);
        }
        let mut chars = word.chars();
        let first = chars.next().map(|c| c.to_uppercase().to_string());
        format!(
            "{}{}{}{}",
            PREFIXES[self.below(PREFIXES.len())],
            first.unwrap_or_default(),
            chars.as_str(),
            SUFFIXES[self.below(SUFFIXES.len())]
        )
    }
}
