//! The files escp writes for a team to fill in, for a call and strand: the
//! starter consortium file (`escp init`), the workbook template (`escp init
//! --format xlsx`), and the words both use for what the call requires (which
//! `escp import` uses too, for the keys a spreadsheet leaves out). They read
//! the rulesets and the rules' keys; the commands write them to disk.

mod requirements;
pub mod starter;
pub mod workbook;

pub use requirements::Requirements;
