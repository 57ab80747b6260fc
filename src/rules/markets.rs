//! The target markets of a consortium as the rules count them: each
//! country or world region once, however it is written (`JP` and `jp`, `EL`
//! and `GR`, "GCC" and "Gulf Cooperation Council").

use super::Cx;
use crate::consortium::{Consortium, Field, Market};
use crate::countries::{Countries, Country};
use crate::ruleset::regions::{Region, Regions};
use crate::source::Span;

/// What a `[[target]]` names, once resolved.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Resolved<'r> {
    Country(Country),
    /// A country's name or code written as a region (`region = "Japan"`).
    CountryAsRegion(Country),
    Region(&'r Region),
    /// A region escp does not know.
    Unknown,
}

impl Resolved<'_> {
    /// The identity of the market, for counting.
    fn key(&self, written: &str) -> String {
        match self {
            Resolved::Country(c) | Resolved::CountryAsRegion(c) => format!("country:{}", c.code()),
            Resolved::Region(r) => format!("region:{}", r.id),
            Resolved::Unknown => format!(
                "unknown:{}",
                written
                    .chars()
                    .filter(|c| c.is_alphanumeric())
                    .flat_map(char::to_lowercase)
                    .collect::<String>()
            ),
        }
    }

    /// How the market is named in messages.
    pub fn name(&self, written: &str) -> String {
        match self {
            Resolved::Country(c) | Resolved::CountryAsRegion(c) => c.to_string(),
            Resolved::Region(r) => r.name.clone(),
            Resolved::Unknown => format!("\"{}\"", crate::text::clean(written)),
        }
    }
}

/// Resolves what a target names. The regions table is read only here, and
/// only when a target names a region; the country names only when it is
/// not a known region (and then exactly: a region is never guessed to be a
/// country).
pub(crate) fn resolve(market: &Market) -> (Resolved<'static>, String) {
    match market {
        Market::Country(c) => (Resolved::Country(*c), c.code().to_string()),
        Market::Region(written) => {
            let resolved = if let Some(c) = Countries::get().code(written) {
                Resolved::CountryAsRegion(c)
            } else if let Some(region) = Regions::get().find(written) {
                Resolved::Region(region)
            } else if let Some(c) = Countries::get().by_exact_name(written) {
                Resolved::CountryAsRegion(c)
            } else {
                Resolved::Unknown
            };
            (resolved, written.clone())
        }
    }
}

/// One distinct market: how it resolved, where it is first written, and
/// the text as written.
pub(crate) struct Distinct {
    pub resolved: Resolved<'static>,
    pub span: Span,
    pub written: String,
}

/// The distinct target markets of the file, the repeats, and the targets
/// that could not be read.
pub(crate) struct Markets {
    pub distinct: Vec<Distinct>,
    /// (the repeat, the first time the market is written, its name).
    pub repeats: Vec<(Span, Span, String)>,
    pub unknown: Vec<Span>,
    /// Targets written in a way that cannot be read (their number unknown).
    pub unknown_open: bool,
}

impl Markets {
    /// Read through [`Cx::markets`], which works them out once per file.
    pub(super) fn of(consortium: &Consortium) -> Markets {
        let mut out = Markets {
            distinct: Vec::new(),
            repeats: Vec::new(),
            unknown: consortium.targets_lost.clone(),
            unknown_open: !consortium.targets_lost.is_empty(),
        };
        let mut seen: std::collections::HashMap<String, usize> =
            std::collections::HashMap::with_capacity(consortium.targets.len());
        for target in &consortium.targets {
            let market = match &target.market {
                Field::Given(m) => m,
                other => {
                    out.unknown.push(other.span_or(&target.header));
                    continue;
                }
            };
            let (resolved, written) = resolve(&market.value);
            let key = resolved.key(&written);
            match seen.get(&key) {
                Some(&first) => {
                    let first = &out.distinct[first];
                    out.repeats.push((
                        market.span.clone(),
                        first.span.clone(),
                        resolved.name(&written),
                    ));
                }
                None => {
                    seen.insert(key, out.distinct.len());
                    out.distinct.push(Distinct {
                        resolved,
                        span: market.span.clone(),
                        written,
                    });
                }
            }
        }
        out
    }

    /// Reports each repeated market (a warning: it counts once).
    pub fn report_repeats(&self, cx: &mut Cx<'_>) {
        for (again, first, name) in &self.repeats {
            let f = cx
                .finding(
                    again.clone(),
                    format!("{name} is a target market twice; it counts once"),
                )
                .severity(crate::finding::Severity::Warning)
                .label("the same market again")
                .also(first.clone(), "first named here")
                .help("remove the repeated [[target]], or name another market");
            cx.emit(f);
        }
    }
}
