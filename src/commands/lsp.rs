//! `escp lsp`: the language server for editors (SPEC §9), on standard input
//! and output. The server itself is [`crate::lsp`].

use crate::cli::LspArgs;

pub fn run(args: LspArgs) -> u8 {
    crate::lsp::run(args.calls)
}
