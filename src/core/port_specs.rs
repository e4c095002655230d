//! Several ports in the port-forward dialog, as `kubectl port-forward`
//! takes them on its command line (`8080:80 9090 :3000`), separated by
//! spaces or commas here, plus `all` for every port the target declares.
//! Each pair becomes its own forward (its own row in `:pf`, stopped on its
//! own), started under one confirmation and one journal line: an on-call
//! engineer who forwarded an app's HTTP and metrics ports wants to close
//! one without losing the other, and sees each port's traffic apart.

use super::port_forwards::{PortPair, parse_pair};

/// The word that stands for every declared port.
pub const ALL: &str = "all";

/// The specs typed, each as written.
pub fn specs(text: &str) -> Vec<&str> {
    text.split([' ', ',', '\t'])
        .filter(|s| !s.is_empty())
        .collect()
}

/// Reads every spec; `all` gives each of `declared` a free local port.
/// A spec that does not read is named with why; so is a local port given
/// twice (only one listener can have it).
pub fn parse_pairs(text: &str, declared: &[u16]) -> Result<Vec<PortPair>, String> {
    let mut pairs: Vec<PortPair> = Vec::new();
    let typed = specs(text);
    if typed.is_empty() {
        return Err("type a port: LOCAL:REMOTE or REMOTE, several with spaces".to_string());
    }
    for spec in typed {
        if spec.eq_ignore_ascii_case(ALL) {
            if declared.is_empty() {
                return Err("\"all\": the target declares no TCP port; type them".to_string());
            }
            pairs.extend(declared.iter().map(|&remote| PortPair { local: 0, remote }));
            continue;
        }
        let pair = parse_pair(spec).map_err(|why| {
            if why.contains(&format!("\"{spec}\"")) {
                why
            } else {
                format!("\"{spec}\": {why}")
            }
        })?;
        pairs.push(pair);
    }
    for (i, p) in pairs.iter().enumerate() {
        if p.local != 0 && pairs[..i].iter().any(|q| q.local == p.local) {
            return Err(format!("local port {} is given twice", p.local));
        }
    }
    // `all` beside a port named already: that port is forwarded once.
    let mut seen = Vec::new();
    pairs.retain(|p| {
        let fresh = p.local != 0 || !seen.contains(&p.remote);
        seen.push(p.remote);
        fresh
    });
    Ok(pairs)
}

/// The remote ports the text names (for the dialog's markers): every
/// declared one for `all`.
pub fn chosen(text: &str, declared: &[u16]) -> Vec<u16> {
    let mut out = Vec::new();
    for spec in specs(text) {
        if spec.eq_ignore_ascii_case(ALL) {
            out.extend_from_slice(declared);
        } else if let Ok(p) = parse_pair(spec) {
            out.push(p.remote);
        }
    }
    out
}

/// Tab: the last spec's remote port becomes the next declared one (its
/// local port kept); with one spec alone, `all` comes after the last port
/// when there are several.
pub fn next(text: &str, declared: &[u16]) -> Option<String> {
    if declared.is_empty() {
        return None;
    }
    // After a separator: a new spec, the first port not named yet.
    if !text.trim().is_empty() && text.ends_with([' ', ',', '\t']) {
        let named = chosen(text, declared);
        let port = declared
            .iter()
            .find(|p| !named.contains(p))
            .unwrap_or(&declared[0]);
        return Some(format!("{text}{port}"));
    }
    let trimmed = text.trim_end();
    let (head, last) = match trimmed.rfind([' ', ',', '\t']) {
        Some(i) => (&trimmed[..=i], &trimmed[i + 1..]),
        None => ("", trimmed),
    };
    let alone = head.trim().is_empty();
    if last.eq_ignore_ascii_case(ALL) {
        return Some(format!("{head}{}", declared[0]));
    }
    let (local, remote) = match last.split_once(':') {
        Some((l, r)) => (Some(l), r.trim().parse::<u16>().ok()),
        None => (None, last.trim().parse::<u16>().ok()),
    };
    let at = remote.and_then(|r| declared.iter().position(|p| *p == r));
    let following = at.map_or(Some(0), |i| (i + 1 < declared.len()).then_some(i + 1));
    let next = match following {
        Some(i) => declared[i].to_string(),
        None if alone && local.is_none() && declared.len() > 1 => ALL.to_string(),
        None => declared[0].to_string(),
    };
    Some(match local {
        Some(l) => format!("{head}{l}:{next}"),
        None => format!("{head}{next}"),
    })
}

/// How the dialog and the journal name the pairs: `port 80 to
/// 127.0.0.1:8080, port 9090 to a free port`.
pub fn describe(pairs: &[PortPair]) -> String {
    let one = |p: &PortPair| match p.local {
        0 => format!("port {} to a free port", p.remote),
        l => format!("port {} to 127.0.0.1:{l}", p.remote),
    };
    pairs.iter().map(one).collect::<Vec<_>>().join(", ")
}

/// The remote ports, for the ticket: `port 80`, `ports 80, 9090`.
pub fn remotes(pairs: &[PortPair]) -> String {
    let list: Vec<String> = pairs.iter().map(|p| p.remote.to_string()).collect();
    match list.len() {
        1 => format!("port {}", list[0]),
        _ => format!("ports {}", list.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(local: u16, remote: u16) -> PortPair {
        PortPair { local, remote }
    }

    #[test]
    fn several_specs_read_with_spaces_or_commas() {
        assert_eq!(
            parse_pairs("8080:80 9090, :3000", &[]),
            Ok(vec![pair(8080, 80), pair(0, 9090), pair(0, 3000)])
        );
        assert_eq!(parse_pairs(" 80 ", &[]), Ok(vec![pair(0, 80)]));
    }

    #[test]
    fn all_is_every_declared_port_once() {
        assert_eq!(
            parse_pairs("all", &[80, 9090]),
            Ok(vec![pair(0, 80), pair(0, 9090)])
        );
        assert_eq!(
            parse_pairs("5000:80 ALL", &[80, 9090]),
            Ok(vec![pair(5000, 80), pair(0, 9090)])
        );
        assert_eq!(
            parse_pairs("80 all", &[80, 9090]),
            Ok(vec![pair(0, 80), pair(0, 9090)])
        );
        assert!(parse_pairs("all", &[]).unwrap_err().contains("declares no"));
    }

    #[test]
    fn the_spec_that_does_not_read_is_named() {
        let err = parse_pairs("8080:80 web 9090", &[]).unwrap_err();
        assert!(err.contains("\"web\""), "{err}");
        let err = parse_pairs("8080:80 80:0", &[]).unwrap_err();
        assert!(err.starts_with("\"80:0\": "), "{err}");
        assert!(err.contains("1 to 65535"), "{err}");
        let err = parse_pairs("1:2:3", &[]).unwrap_err();
        assert!(err.contains("1:2:3") || err.contains("\"2:3\""), "{err}");
        assert_eq!(
            parse_pairs("8080:80 8080:81", &[]),
            Err("local port 8080 is given twice".to_string())
        );
        assert!(parse_pairs(" , ", &[]).is_err());
    }

    #[test]
    fn tab_walks_the_last_spec_through_the_ports_then_all() {
        let ports = [8080, 9090];
        assert_eq!(next("8080", &ports).as_deref(), Some("9090"));
        assert_eq!(next("9090", &ports).as_deref(), Some("all"));
        assert_eq!(next("all", &ports).as_deref(), Some("8080"));
        assert_eq!(next("5000:8080", &ports).as_deref(), Some("5000:9090"));
        assert_eq!(next("5000:9090", &ports).as_deref(), Some("5000:8080"));
        assert_eq!(next("8080 9090", &ports).as_deref(), Some("8080 8080"));
        assert_eq!(next("8080 ", &ports).as_deref(), Some("8080 9090"));
        assert_eq!(next("8080, ", &ports).as_deref(), Some("8080, 9090"));
        assert_eq!(next("8080,x", &ports).as_deref(), Some("8080,8080"));
        assert_eq!(next("80", &[80]).as_deref(), Some("80"));
        assert_eq!(next("80", &[]), None);
    }

    #[test]
    fn chosen_and_descriptions() {
        assert_eq!(chosen("all", &[80, 9090]), [80, 9090]);
        assert_eq!(chosen("5000:80 x", &[80, 9090]), [80]);
        let pairs = [pair(5000, 80), pair(0, 9090)];
        assert_eq!(
            describe(&pairs),
            "port 80 to 127.0.0.1:5000, port 9090 to a free port"
        );
        assert_eq!(remotes(&pairs), "ports 80, 9090");
        assert_eq!(remotes(&pairs[..1]), "port 80");
    }
}
