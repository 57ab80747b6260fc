//! `escp lsp`: the language server for editors (docs/editors.md), on standard input
//! and output. The server itself is [`crate::lsp`].

use crate::cli::LspArgs;

pub fn run(args: LspArgs) -> u8 {
    crate::lsp::run(args.calls)
}
