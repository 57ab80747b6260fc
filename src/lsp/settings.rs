//! What the client can take, and the settings it gives (see the module
//! documentation of [`crate::lsp`]).

use super::log;
use serde_json::Value;
use std::path::PathBuf;
use std::time::Duration;

/// What the client can take.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ClientCaps {
    pub(crate) snippets: bool,
    pub(crate) markdown_hover: bool,
    pub(crate) document_changes: bool,
}

/// The settings a client can give.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Settings {
    /// Empty: `escp lsp --calls`, else `ESCP_CALLS`.
    pub(crate) calls: Vec<PathBuf>,
    pub(crate) docs_url: Option<String>,
    pub(crate) today: Option<jiff::civil::Date>,
    pub(crate) debounce: Option<Duration>,
}

impl Settings {
    /// `base` with the settings that `value` gives: a key that is absent
    /// keeps its value in `base` (a client that sends an empty
    /// `didChangeConfiguration` does not undo the initialization options);
    /// an empty value (`""`, `[]`) is the default. Read leniently: an
    /// ill-typed entry is ignored (and logged), never fatal.
    pub(crate) fn read(value: &Value, root: Option<&PathBuf>, base: &Settings) -> Settings {
        let value = value.get("escp").unwrap_or(value);
        let mut settings = base.clone();
        let folder = |p: &str| {
            let path = PathBuf::from(p);
            match root {
                Some(root) if path.is_relative() => root.join(path),
                _ => path,
            }
        };
        match value.get("calls") {
            None => {}
            Some(Value::Array(items)) => {
                settings.calls = items.iter().filter_map(Value::as_str).map(folder).collect()
            }
            Some(Value::String(one)) if !one.is_empty() => settings.calls = vec![folder(one)],
            Some(Value::String(_) | Value::Null) => settings.calls = Vec::new(),
            Some(other) => log(&format!(
                "ignoring the setting calls = {other}: not a list of folders"
            )),
        }
        if let Some(url) = value.get("docsUrl") {
            settings.docs_url = url.as_str().filter(|s| !s.is_empty()).map(str::to_string);
        }
        match value.get("today") {
            None => {}
            Some(Value::String(today)) if !today.is_empty() => match today.parse() {
                Ok(date) => settings.today = Some(date),
                Err(_) => log(&format!(
                    "ignoring the setting today = {today:?}: not YYYY-MM-DD"
                )),
            },
            Some(_) => settings.today = None,
        }
        if let Some(ms) = value.get("debounceMs") {
            settings.debounce = ms.as_u64().map(|ms| Duration::from_millis(ms.min(10_000)));
        }
        settings
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn settings_change_only_what_they_name() {
        let root = PathBuf::from("/work/space");
        let first = Settings::read(
            &json!({"calls": ["calls", "/abs"], "docsUrl": "https://x.invalid/r.md", "today": "2020-11-01"}),
            Some(&root),
            &Settings::default(),
        );
        assert_eq!(first.calls, [root.join("calls"), PathBuf::from("/abs")]);
        assert_eq!(first.docs_url.as_deref(), Some("https://x.invalid/r.md"));
        assert_eq!(first.today, Some(jiff::civil::date(2020, 11, 1)));
        // An empty change (Neovim sends one at start) keeps everything.
        assert_eq!(Settings::read(&json!({}), Some(&root), &first), first);
        assert_eq!(Settings::read(&Value::Null, Some(&root), &first), first);
        // Nested under "escp", as VS Code sends them; empty values reset.
        let second = Settings::read(
            &json!({"escp": {"calls": [], "docsUrl": "", "debounceMs": 0}}),
            Some(&root),
            &first,
        );
        assert!(second.calls.is_empty());
        assert_eq!(second.docs_url, None);
        assert_eq!(second.today, first.today);
        assert_eq!(second.debounce, Some(Duration::ZERO));
        // Ill-typed values are ignored, not fatal.
        let odd = Settings::read(&json!({"calls": 3, "today": "soon"}), None, &first);
        assert_eq!(odd.calls, first.calls);
        assert_eq!(odd.today, first.today);
    }
}
