//! Explanations of the format rules. Their checks are in the consortium
//! parser (`crate::consortium`) and the pipeline (`unknown-call`).

use super::Explanation;

pub const SYNTAX: Explanation = Explanation {
    summary: "the file is not valid TOML",
    why: "escp reads the consortium file as TOML (https://toml.io). A file that does not parse cannot be \
checked at all, so this is reported with exit code 2 and the file is \"unchecked\".",
    failing: r#"[proposal
acronym = "AGRI4i""#,
    fixed: r#"[proposal]
acronym = "AGRI4i""#,
};

pub const UNKNOWN_KEY: Explanation = Explanation {
    summary: "a key that the consortium format does not define",
    why: "A misspelt key is silently ignored by most tools, and the value the team meant to give is then \
missing. escp reports every key it does not know and suggests the closest known one.",
    failing: r#"[[partner]]
short_name = "AGRI-IT"
contry = "IT""#,
    fixed: r#"[[partner]]
short_name = "AGRI-IT"
country = "IT""#,
};

pub const MISSING_KEY: Explanation = Explanation {
    summary: "a required key is absent",
    why: "Some facts are needed to judge eligibility at all: the call, the proposal's acronym, and for each \
applicant its short name and legal name, plus the country, organisation type and ECCP status where the \
call's rules read them (a call without an ECCP rule does not need `eccp`). A file without `call` cannot be \
checked at all: it is \"unchecked\" (exit code 2), and `escp calls` and `escp init` help to start one. \
Other values that a call's rule needs (the duration, the amounts) are not errors when absent: the rule is \
skipped and the file is \"incomplete\" until they are added.",
    failing: r#"[[partner]]
short_name = "AGRI-IT"
name = "Consorzio Agrifood Cluster Italia"
type = "cluster-organisation"
eccp = "registered""#,
    fixed: r#"[[partner]]
short_name = "AGRI-IT"
name = "Consorzio Agrifood Cluster Italia"
country = "IT"
type = "cluster-organisation"
eccp = "registered""#,
};

pub const INVALID_VALUE: Explanation = Explanation {
    summary: "a value of the wrong type, or outside its allowed set or range",
    why: "Countries are ISO 3166-1 alpha-2 codes (EL and UK are accepted for Greece and the United Kingdom), \
amounts are numbers of euros of at least 0, and keys such as `type`, `eccp` and `role` take one of a few \
words. A value escp cannot read is reported, and the call rules that need it are skipped.",
    failing: r#"[[partner]]
country = "Germany"
eccp = "yes""#,
    fixed: r#"[[partner]]
country = "DE"
eccp = "registered""#,
};

pub const UNKNOWN_CALL: Explanation = Explanation {
    summary: "`call` names no call that escp knows",
    why: "The rules to check come from the call's ruleset. When no ruleset has that id (or alias), nothing \
can be checked, so the file is \"unchecked\" (exit code 2). The README lists the known calls; a ruleset \
for another call can be added with `--calls DIR`.",
    failing: r#"call = "COS-CLUSINT-2020-03-01""#,
    fixed: r#"call = "COS-CLUSINT-2020-3-01""#,
};

pub const READ_ERROR: Explanation = Explanation {
    summary: "the file could not be read: it does not exist, is a folder, is not readable, or is not UTF-8 text",
    why: "Nothing can be checked in a file escp cannot read, so the file is \"unchecked\" (exit code 2). \
The other files of the run are still checked.",
    failing: "escp check consortum.toml   # misspelt path",
    fixed: "escp check consortium.toml",
};

pub const IMPLAUSIBLE_AMOUNT: Explanation = Explanation {
    summary: "an amount that is valid TOML but almost certainly mistyped: a decimal point used as a thousands separator, or less than EUR 1,000",
    why: "Much of Europe writes 450.000 for four hundred and fifty thousand, and TOML reads `450.000` as 450. \
The grants and budgets of these calls are hundreds of thousands of euros: an amount below EUR 1,000 is never \
meant, so escp reports it instead of checking a grant of EUR 450 against the cap. Write whole euros without \
separators (`450000`) or with underscores (`450_000`); cents stay valid (`539999.50`). The rules that read \
the amount are skipped until it is corrected.",
    failing: r#"[proposal]
requested_grant_eur = 450.000"#,
    fixed: r#"[proposal]
requested_grant_eur = 450_000"#,
};

pub const INVALID_RULESET: Explanation = Explanation {
    summary: "the ruleset of the call the file names cannot be loaded",
    why: "A ruleset given with `--calls` (or ESCP_CALLS) that does not load cannot check anything, so the files \
that name its call are \"unchecked\" (exit code 2). Files that name other calls are still checked. The \
diagnostic points into the ruleset file; docs/rulesets.md describes the format.",
    failing: "escp check consortium.toml --calls my-rulesets   # my-rulesets/COS-X.toml has an error",
    fixed: "escp check consortium.toml --calls my-rulesets   # the ruleset fixed",
};
