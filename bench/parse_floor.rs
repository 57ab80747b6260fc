//! The parse-only floor for the benchmarks: reads each file given and parses
//! it with the same toml crate and the same entry point escp uses
//! (`toml::de::DeTable`, which keeps every position), then does nothing
//! else. escp's cost above this is what its own checks add.
//!
//! `cargo build --release --example parse_floor`, then
//! `target/release/examples/parse_floor FILE...`.

fn main() -> std::process::ExitCode {
    let mut failed = false;
    for path in std::env::args_os().skip(1) {
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{}: {e}", path.to_string_lossy());
                failed = true;
                continue;
            }
        };
        let (table, errors) = toml::de::DeTable::parse_recoverable(&text);
        failed |= !errors.is_empty();
        std::hint::black_box(table);
    }
    std::process::ExitCode::from(u8::from(failed))
}
