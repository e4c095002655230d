//! Kubernetes `Quantity` strings (`250m`, `1.5Gi`, `2e3`, `123456n`) read
//! as numbers, for the metrics API's usage figures. The grammar is the
//! API's (k8s.io/apimachinery/pkg/api/resource, "quantity.go": a signed
//! decimal number, then a binary suffix `Ki`..`Ei`, a decimal one
//! `n u m k M G T P E`, or an exponent `e3`/`E3`). What it is given comes
//! from a server, so anything else is None, never a panic.

/// The quantity as a plain number (`1.5Gi` -> 1610612736.0); None for
/// text that is no quantity, or a negative or non-finite one.
pub fn parse(text: &str) -> Option<f64> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+' || c == '-'))
        .unwrap_or(text.len());
    let (number, suffix) = text.split_at(split);
    let number = parse_number(number)?;
    let scale = match suffix {
        "" => 1.0,
        "Ki" => 1024f64,
        "Mi" => 1024f64.powi(2),
        "Gi" => 1024f64.powi(3),
        "Ti" => 1024f64.powi(4),
        "Pi" => 1024f64.powi(5),
        "Ei" => 1024f64.powi(6),
        "n" => 1e-9,
        "u" => 1e-6,
        "m" => 1e-3,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        "E" => 1e18,
        exp => {
            let digits = exp.strip_prefix(['e', 'E'])?;
            let power = parse_number(digits)?;
            if power.fract() != 0.0 || power.abs() > 30.0 {
                return None;
            }
            10f64.powf(power)
        }
    };
    let value = number * scale;
    (value.is_finite() && value >= 0.0).then_some(value)
}

/// Millicores, rounded up as kubectl's `MilliValue` rounds (`250n` is 1m).
pub fn cpu_milli(text: &str) -> Option<u64> {
    // `as` saturates at u64::MAX and never panics.
    parse(text).map(|v| (v * 1000.0).ceil() as u64)
}

/// Bytes, rounded up.
pub fn bytes(text: &str) -> Option<u64> {
    parse(text).map(|v| v.ceil() as u64)
}

/// A signed decimal: digits with at most one point, at least one digit.
fn parse_number(text: &str) -> Option<f64> {
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let digits = unsigned.chars().filter(char::is_ascii_digit).count();
    let points = unsigned.chars().filter(|c| *c == '.').count();
    if digits == 0 || points > 1 || digits + points != unsigned.len() {
        return None;
    }
    text.parse::<f64>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_suffix_kind() {
        assert_eq!(bytes("1.5Gi"), Some(1_610_612_736));
        assert_eq!(bytes("12345Ki"), Some(12_641_280));
        assert_eq!(bytes("128Mi"), Some(134_217_728));
        assert_eq!(bytes("1M"), Some(1_000_000));
        assert_eq!(bytes("2e3"), Some(2000));
        assert_eq!(bytes("2E3"), Some(2000));
        assert_eq!(bytes("1024"), Some(1024));
        assert_eq!(cpu_milli("250m"), Some(250));
        assert_eq!(cpu_milli("1"), Some(1000));
        assert_eq!(cpu_milli("0.5"), Some(500));
        assert_eq!(cpu_milli("123456789n"), Some(124));
        assert_eq!(cpu_milli("250n"), Some(1), "rounded up as kubectl does");
        assert_eq!(cpu_milli("0"), Some(0));
        assert_eq!(cpu_milli("5u"), Some(1));
        assert_eq!(cpu_milli("+1"), Some(1000));
    }

    #[test]
    fn odd_input_is_none_not_a_panic() {
        for bad in [
            "", " ", "m", "Gi", "abc", "1.2.3", "--1", "1x", "1 Gi", "1e", "1e1.5", "1e400", "-1",
            "-250m", "NaN", "inf", "1ki", "1GiB", ".", "+", "1e-", "٣", "1\u{0}",
        ] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
        // Huge but finite: saturates instead of overflowing.
        assert_eq!(bytes("9999999999Ei"), Some(u64::MAX));
        assert_eq!(cpu_milli(&"9".repeat(400)), None);
    }
}
