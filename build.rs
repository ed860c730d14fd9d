//! Embeds the dataset in `snapshots/` into the binary, so that `reorg`
//! works from any directory.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let dir = Path::new("snapshots");
    println!("cargo:rerun-if-changed=snapshots");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("the snapshots/ directory exists")
        .filter_map(std::result::Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".ron"))
        .collect();
    names.sort();
    let mut code = String::from("/// (path, contents) of every file of the embedded dataset.\n");
    code.push_str("pub(crate) static FILES: &[(&str, &str)] = &[\n");
    for name in &names {
        println!("cargo:rerun-if-changed=snapshots/{name}");
        let absolute = std::fs::canonicalize(dir.join(name)).expect("a readable file");
        writeln!(
            code,
            "    ({:?}, include_str!({:?})),",
            format!("snapshots/{name}"),
            absolute.display().to_string()
        )
        .unwrap();
    }
    code.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("embedded_dataset.rs");
    std::fs::write(out, code).expect("OUT_DIR is writable");
}
