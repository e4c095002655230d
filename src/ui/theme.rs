//! Themes: TOML files of named colours turned into ratatui styles. The
//! built-in ones are compiled in so a bare binary still has them; a file of
//! the same name in the user's config dir `themes/` wins.

use std::path::Path;
use std::str::FromStr;

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

const BUILTIN: &[(&str, &str)] = &[
    ("dark", include_str!("../../themes/dark.toml")),
    ("light", include_str!("../../themes/light.toml")),
    (
        "high-contrast",
        include_str!("../../themes/high-contrast.toml"),
    ),
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    name: String,
    text: String,
    muted: String,
    accent: String,
    ok: String,
    warning: String,
    error: String,
    selection_fg: String,
    selection_bg: String,
    header: String,
    border: String,
    danger: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub name: String,
    pub text: Style,
    pub muted: Style,
    pub accent: Style,
    pub ok: Style,
    pub warning: Style,
    pub error: Style,
    pub selection: Style,
    pub header: Style,
    pub border: Style,
    pub danger: Style,
}

impl Default for Theme {
    fn default() -> Self {
        Theme::builtin("dark").unwrap_or_else(|_| Theme::monochrome())
    }
}

impl Theme {
    pub fn builtin(name: &str) -> Result<Theme, String> {
        let (_, text) = BUILTIN
            .iter()
            .find(|(n, _)| *n == name)
            .ok_or_else(|| format!("no built-in theme `{name}`"))?;
        Theme::parse(text, &format!("built-in theme {name}"))
    }

    /// Finds a theme by name: the user's `themes/NAME.toml` first, then the built-ins.
    pub fn load(name: &str, user_dir: Option<&Path>) -> Result<Theme, String> {
        if let Some(dir) = user_dir {
            let path = dir.join(format!("{name}.toml"));
            if path.is_file() {
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                return Theme::parse(&text, &path.display().to_string());
            }
        }
        Theme::builtin(name).map_err(|_| {
            let names: Vec<&str> = BUILTIN.iter().map(|(n, _)| *n).collect();
            format!("unknown theme `{name}` (built-in: {})", names.join(", "))
        })
    }

    pub fn parse(text: &str, origin: &str) -> Result<Theme, String> {
        let file: ThemeFile =
            toml::from_str(text).map_err(|e| format!("{origin}: {}", e.message()))?;
        let colour = |key: &str, value: &str| {
            Color::from_str(value)
                .map_err(|_| format!("{origin}: `{key}` has unknown colour `{value}`"))
        };
        let fg = |key: &str, value: &str| colour(key, value).map(|c| Style::default().fg(c));
        Ok(Theme {
            name: file.name.clone(),
            text: fg("text", &file.text)?,
            muted: fg("muted", &file.muted)?,
            accent: fg("accent", &file.accent)?.add_modifier(Modifier::BOLD),
            ok: fg("ok", &file.ok)?,
            warning: fg("warning", &file.warning)?,
            error: fg("error", &file.error)?.add_modifier(Modifier::BOLD),
            selection: Style::default()
                .fg(colour("selection_fg", &file.selection_fg)?)
                .bg(colour("selection_bg", &file.selection_bg)?),
            header: fg("header", &file.header)?.add_modifier(Modifier::BOLD),
            border: fg("border", &file.border)?,
            danger: fg("danger", &file.danger)?.add_modifier(Modifier::BOLD),
        })
    }

    /// For `NO_COLOR`: no colour at all; emphasis by bold/reverse only, so
    /// selection and errors still stand out.
    pub fn monochrome() -> Theme {
        Theme {
            name: "no-color".into(),
            text: Style::default(),
            muted: Style::default(),
            accent: Style::default().add_modifier(Modifier::BOLD),
            ok: Style::default(),
            warning: Style::default(),
            error: Style::default().add_modifier(Modifier::BOLD),
            selection: Style::default().add_modifier(Modifier::REVERSED),
            header: Style::default().add_modifier(Modifier::BOLD),
            border: Style::default(),
            danger: Style::default().add_modifier(Modifier::BOLD),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_theme_parses() {
        for (name, _) in BUILTIN {
            let t = Theme::builtin(name).expect(name);
            assert_eq!(&t.name, name);
        }
    }

    #[test]
    fn a_bad_colour_is_named() {
        let text = include_str!("../../themes/dark.toml").replace("\"cyan\"", "\"teal-ish\"");
        let err = Theme::parse(&text, "x.toml").unwrap_err();
        assert!(err.contains("teal-ish") && err.contains("x.toml"), "{err}");
    }

    #[test]
    fn unknown_theme_lists_the_builtins() {
        let err = Theme::load("solarized", None).unwrap_err();
        assert!(err.contains("high-contrast"), "{err}");
    }
}
