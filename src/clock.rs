//! When a check is made, for the deadline: the current instant, an instant
//! given with `--now`, or a date given with `--today` (the start of that day
//! in the call's own time zone, so that the verdict does not depend on the
//! machine's zone).

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, Zoned};

/// The moment a check is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// An exact instant (the system clock, or `--now`).
    At(Timestamp),
    /// A calendar date (`--today`): the start of that day wherever the
    /// deadline is set.
    Today(Date),
}

impl Clock {
    /// `--now` if given, else `--today` if given, else the system clock.
    pub fn from_args(now: Option<Timestamp>, today: Option<Date>) -> Clock {
        match (now, today) {
            (Some(now), _) => Clock::At(now),
            (None, Some(today)) => Clock::Today(today),
            (None, None) => Clock::At(Timestamp::now()),
        }
    }

    /// The moment, as a time in `zone` (the call's).
    pub fn in_zone(&self, zone: &TimeZone) -> Zoned {
        match self {
            Clock::At(instant) => instant.to_zoned(zone.clone()),
            Clock::Today(date) => date
                .to_zoned(zone.clone())
                .unwrap_or_else(|_| Timestamp::UNIX_EPOCH.to_zoned(zone.clone())),
        }
    }
}

/// The time zone named `name` (an IANA name such as "Europe/Brussels"),
/// from the time zone database built into escp. Not the system's: reading
/// it walks /usr/share/zoneinfo, which cost more than a whole check, and
/// the verdict on a deadline must not depend on the machine's tzdata.
///
/// Each zone is read once per process (a deadline asks for its zone several
/// times, and a batch for the same zone in every file).
pub fn zone(name: &str) -> Result<TimeZone, jiff::Error> {
    use std::sync::{Mutex, OnceLock};
    static BUNDLED: OnceLock<jiff::tz::TimeZoneDatabase> = OnceLock::new();
    static READ: Mutex<Vec<(String, TimeZone)>> = Mutex::new(Vec::new());
    let mut read = READ.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, zone)) = read.iter().find(|(n, _)| n == name) {
        return Ok(zone.clone());
    }
    let zone = BUNDLED
        .get_or_init(jiff::tz::TimeZoneDatabase::bundled)
        .get(name)?;
    // Rulesets name a handful of zones; the bound keeps it a handful.
    if read.len() < 64 {
        read.push((name.to_string(), zone.clone()));
    }
    Ok(zone)
}

/// Reads an `--now` value: an RFC 3339 instant such as
/// `2020-12-02T16:59:00Z` or `2020-12-02T17:00:00+01:00`.
pub fn parse_instant(value: &str) -> Result<Timestamp, String> {
    value.parse::<Timestamp>().map_err(|_| {
        format!(
            "\"{value}\" is not an instant: write it as RFC 3339, e.g. 2020-12-02T16:59:00+01:00 or 2020-12-02T15:59:00Z"
        )
    })
}

/// A date as the command line and the workbench take it: YYYY-MM-DD.
pub fn parse_date(value: &str) -> Result<Date, String> {
    value
        .parse::<Date>()
        .map_err(|_| format!("\"{value}\" is not a date: write YYYY-MM-DD, e.g. 2020-11-01"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_is_the_start_of_that_day_in_the_zone_given() {
        let brussels = zone("Europe/Brussels").unwrap();
        let day = Clock::Today(jiff::civil::date(2020, 12, 2)).in_zone(&brussels);
        assert_eq!(
            day.to_string(),
            "2020-12-02T00:00:00+01:00[Europe/Brussels]"
        );
        let summer = Clock::Today(jiff::civil::date(2019, 10, 25)).in_zone(&brussels);
        assert_eq!(summer.offset().seconds(), 2 * 3600);
    }

    #[test]
    fn instants_are_rfc_3339() {
        assert!(parse_instant("2020-12-02T16:59:00Z").is_ok());
        assert!(parse_instant("2020-12-02").is_err());
    }
}
