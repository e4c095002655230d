//! Inspect (`i`): which engine object to show, and the rule that keeps
//! secret-looking environment values off the screen. The source fetches
//! the object and writes it out; masking is here so it is one rule,
//! tested without an engine.

/// What `i` inspects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InspectKind {
    Container,
    Image,
    Volume,
    Network,
}

impl InspectKind {
    pub fn word(self) -> &'static str {
        match self {
            Self::Container => "container",
            Self::Image => "image",
            Self::Volume => "volume",
            Self::Network => "network",
        }
    }
}

/// What a masked value is shown as.
pub const MASK: &str = "********";

/// Parts of a variable's name that say its value is a secret. Matched
/// anywhere in the upper-cased name, so `DB_PASSWORD`, `GITHUB_TOKEN`,
/// `AWS_SECRET_ACCESS_KEY` and `apiKey` are all caught; a false positive
/// only hides a harmless value.
const SECRET_WORDS: [&str; 12] = [
    "PASSWORD",
    "PASSWD",
    "PASS_",
    "PWD",
    "TOKEN",
    "SECRET",
    "KEY",
    "CREDENTIAL",
    "AUTH",
    "PRIVATE",
    "COOKIE",
    "SESSION",
];

/// Whether a variable of this name holds a secret.
pub fn secret_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    // PWD is the working directory, not a password.
    if upper == "PWD" || upper == "OLDPWD" {
        return false;
    }
    SECRET_WORDS.iter().any(|w| upper.contains(w)) || upper.ends_with("_PASS")
}

/// One `NAME=value` entry of an `Env` list, masked when its name looks
/// like a secret; a password inside a URL (`postgres://u:pw@db`) is
/// masked whatever the name.
pub fn mask_env_entry(entry: &str) -> String {
    let Some((name, value)) = entry.split_once('=') else {
        return entry.to_string();
    };
    if secret_name(name) && !value.is_empty() {
        return format!("{name}={MASK}");
    }
    format!("{name}={}", mask_url_password(value))
}

/// `scheme://user:password@host` with the password masked.
pub fn mask_url_password(value: &str) -> String {
    let Some(scheme_end) = value.find("://") else {
        return value.to_string();
    };
    let rest = &value[scheme_end + 3..];
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let Some(at) = authority.rfind('@') else {
        return value.to_string();
    };
    let Some(colon) = authority[..at].find(':') else {
        return value.to_string();
    };
    let start = scheme_end + 3 + colon + 1;
    let end = scheme_end + 3 + at;
    format!("{}{MASK}{}", &value[..start], &value[end..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_looking_names_are_masked_and_others_kept() {
        for entry in [
            "DB_PASSWORD=hunter2",
            "GITHUB_TOKEN=ghp_x",
            "AWS_SECRET_ACCESS_KEY=abc",
            "apiKey=abc",
            "SMTP_CREDENTIALS=a:b",
            "BASIC_AUTH=u:p",
            "MYSQL_ROOT_PASS=x",
        ] {
            let (name, _) = entry.split_once('=').unwrap();
            assert_eq!(mask_env_entry(entry), format!("{name}={MASK}"), "{entry}");
        }
        for entry in ["PATH=/usr/bin", "PWD=/app", "LANG=C.UTF-8", "PORT=8080"] {
            assert_eq!(mask_env_entry(entry), entry);
        }
        // An empty secret stays empty (nothing to hide; shows it is unset).
        assert_eq!(mask_env_entry("API_TOKEN="), "API_TOKEN=");
        assert_eq!(mask_env_entry("NOEQUALS"), "NOEQUALS");
    }

    #[test]
    fn a_password_in_a_url_is_masked_whatever_the_name() {
        assert_eq!(
            mask_env_entry("DATABASE_URL=postgres://shop:s3cr3t@db:5432/shop"),
            format!("DATABASE_URL=postgres://shop:{MASK}@db:5432/shop")
        );
        assert_eq!(
            mask_url_password("https://example.org/a@b"),
            "https://example.org/a@b"
        );
        assert_eq!(
            mask_url_password("redis://cache:6379"),
            "redis://cache:6379"
        );
        assert_eq!(
            mask_url_password("amqp://user@mq"),
            "amqp://user@mq",
            "a user without a password has nothing to hide"
        );
    }
}
