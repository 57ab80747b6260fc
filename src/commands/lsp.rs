//! `escp lsp`: the language server for editors (docs/editors.md), on standard input
//! and output. The server itself is [`crate::lsp`].

use std::path::PathBuf;

/// The arguments of `escp lsp`.
#[derive(Debug, clap::Args)]
pub struct LspArgs {
    /// A folder of extra ruleset files (repeatable), used when the editor
    /// names none in its settings; default: $ESCP_CALLS.
    #[arg(long = "calls", value_name = "DIR")]
    pub calls: Vec<PathBuf>,

    /// Accepted for editors that pass it (LSP over standard input and
    /// output is the only transport).
    #[arg(long, hide = true)]
    pub stdio: bool,
}

pub fn run(args: LspArgs) -> u8 {
    crate::lsp::run(args.calls)
}
