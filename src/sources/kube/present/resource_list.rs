//! Resource quantities added up and printed the way kubectl does for
//! `describe node`: apimachinery's `resource.Quantity` (its `Add`, `Cmp`,
//! `MilliValue`, `Value` and the canonical `String`, from
//! k8s.io/apimachinery/pkg/api/resource "quantity.go" and "amount.go") and
//! kubectl's `resourcehelper.PodRequestsAndLimits`
//! (k8s.io/kubectl/pkg/util/resource: the app containers summed, each init
//! container on top of the sidecars started before it, the larger of the
//! two kept, then the pod's overhead). Text is read by
//! `quantity::parse`; a quantity that does not parse counts as absent.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::sources::kube::quantity;

/// How a quantity was written, which decides how a sum is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    /// `Ki`, `Mi`, … suffixes.
    Binary,
    /// `m`, `k`, `M`, … suffixes, or none.
    Decimal,
    /// `e3`-style exponents.
    Exponent,
}

const NANO: i128 = 1_000_000_000;
/// Far above any real resource and far below `i128::MAX`, so sums cannot
/// overflow.
const LIMIT: f64 = 1e36;

/// An exact amount in billionths (the API keeps quantities to nano
/// precision) and the format of the first term, as `Quantity.Add` keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Quantity {
    nanos: i128,
    format: Format,
}

impl Default for Quantity {
    /// Go's zero `Quantity`: prints `0`, adopts the format of what is
    /// added to it.
    fn default() -> Quantity {
        Quantity {
            nanos: 0,
            format: Format::Decimal,
        }
    }
}

impl Quantity {
    /// None for text that is no quantity (or absurdly large).
    pub(super) fn parse(text: &str) -> Option<Quantity> {
        // The grammar is `quantity::parse`'s; the float only bounds the size.
        let value = quantity::parse(text)?;
        if !(value * NANO as f64).is_finite() || value * NANO as f64 > LIMIT {
            return None;
        }
        let text = text.trim();
        let split = text
            .find(|c: char| !(c.is_ascii_digit() || "+-.".contains(c)))
            .unwrap_or(text.len());
        let (number, suffix) = text.split_at(split);
        let format = if suffix.ends_with('i') {
            Format::Binary
        } else if suffix.len() > 1 && suffix.starts_with(['e', 'E']) {
            Format::Exponent
        } else {
            Format::Decimal
        };
        let (factor, power) = match suffix {
            "" => (1, 0),
            "Ki" => (1 << 10, 0),
            "Mi" => (1 << 20, 0),
            "Gi" => (1 << 30, 0),
            "Ti" => (1 << 40, 0),
            "Pi" => (1 << 50, 0),
            "Ei" => (1 << 60, 0),
            "n" => (1, -9),
            "u" => (1, -6),
            "m" => (1, -3),
            "k" => (1, 3),
            "M" => (1, 6),
            "G" => (1, 9),
            "T" => (1, 12),
            "P" => (1, 15),
            "E" => (1, 18),
            exp => (1, exp.get(1..)?.parse::<i32>().ok()?),
        };
        let nanos = exact_nanos(number, factor, power)?;
        Some(Quantity { nanos, format })
    }

    /// `Quantity.Add`: a zero takes the other's format.
    pub(super) fn add(&mut self, other: Quantity) {
        if self.nanos == 0 {
            self.format = other.format;
        }
        self.nanos = self.nanos.saturating_add(other.nanos);
    }

    /// `MilliValue`: thousandths, rounded up.
    pub(super) fn milli(&self) -> i128 {
        div_ceil(self.nanos, 1_000_000)
    }

    /// `Value`: units, rounded up.
    pub(super) fn value(&self) -> i128 {
        div_ceil(self.nanos, NANO)
    }

    /// The canonical text (`CanonicalizeBytes`): `0`; a binary quantity
    /// that is a whole number of at least 1024 with the largest binary
    /// suffix that keeps it whole, any other in decimal with an exponent
    /// that is a multiple of three.
    pub(super) fn text(&self) -> String {
        if self.nanos == 0 {
            return "0".into();
        }
        let whole = self.nanos % NANO == 0;
        if self.format == Format::Binary && whole && self.nanos.abs() >= 1024 * NANO {
            const SUFFIX: [&str; 7] = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];
            let (mut n, mut exp) = (self.nanos / NANO, 0);
            while n % 1024 == 0 && exp + 1 < SUFFIX.len() {
                n /= 1024;
                exp += 1;
            }
            return format!("{n}{}", SUFFIX[exp]);
        }
        let (mut n, mut exp) = (self.nanos, -9i32);
        while n % 10 == 0 {
            n /= 10;
            exp += 1;
        }
        // Down to a multiple of three, the mantissa growing to match.
        for _ in 0..exp.rem_euclid(3) {
            n *= 10;
            exp -= 1;
        }
        let suffix = match (self.format, exp) {
            (Format::Exponent, 0) => String::new(),
            (Format::Exponent, e) => format!("e{e}"),
            (_, -9) => "n".into(),
            (_, -6) => "u".into(),
            (_, -3) => "m".into(),
            (_, 0) => String::new(),
            (_, 3) => "k".into(),
            (_, 6) => "M".into(),
            (_, 9) => "G".into(),
            (_, 12) => "T".into(),
            (_, 15) => "P".into(),
            (_, 18) => "E".into(),
            (_, e) => format!("e{e}"),
        };
        format!("{n}{suffix}")
    }
}

/// `number` × `factor` × 10^`power` in billionths, exactly; finer than a
/// billionth rounds up, as the API server rounds a quantity.
fn exact_nanos(number: &str, factor: i128, power: i32) -> Option<i128> {
    let number = number.strip_prefix('+').unwrap_or(number);
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    // 18 places keep the digits inside an i128; any further non-zero
    // digit only rounds up.
    let kept = fraction.get(..fraction.len().min(18))?;
    let dropped = fraction.bytes().skip(kept.len()).any(|b| b != b'0');
    let digits = format!("{whole}{kept}");
    let digits = digits.trim_start_matches('0');
    let mantissa: i128 = if digits.is_empty() {
        0
    } else {
        digits.parse().ok()?
    };
    let scaled = mantissa.checked_mul(factor)?;
    let power = power + 9 - i32::try_from(kept.len()).ok()?;
    if power >= 0 {
        return scaled.checked_mul(10i128.checked_pow(power.unsigned_abs())?);
    }
    let Some(by) = 10i128.checked_pow(power.unsigned_abs()) else {
        return Some(i128::from(scaled > 0 || dropped));
    };
    let exact = scaled % by == 0 && !dropped;
    Some(scaled / by + i128::from(!exact && (scaled > 0 || dropped)))
}

fn div_ceil(n: i128, by: i128) -> i128 {
    let q = n / by;
    if n % by > 0 { q + 1 } else { q }
}

/// A `ResourceList`: resource name to amount.
pub(super) type List = BTreeMap<String, Quantity>;

/// The quantities of a JSON resource map; ones that do not parse are left out.
pub(super) fn list_of(map: Option<&Value>) -> List {
    map.and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(name, q)| Some((name.clone(), Quantity::parse(q.as_str()?)?)))
        .collect()
}

/// `addResourceList`.
pub(super) fn add_into(list: &mut List, other: &List) {
    for (name, q) in other {
        list.entry(name.clone()).or_default().add(*q);
    }
}

/// `maxResourceList`: the larger amount, with its format.
fn max_into(list: &mut List, other: &List) {
    for (name, q) in other {
        if list.get(name).is_none_or(|have| q.nanos > have.nanos) {
            list.insert(name.clone(), *q);
        }
    }
}

/// `podRequests` or `podLimits` of kubectl's resource helper; `field` is
/// `requests` or `limits`.
fn pod_total(pod: &Value, field: &str) -> List {
    let of = |c: &Value| list_of(c.pointer(&format!("/resources/{field}")));
    let containers = |key: &str| {
        pod.pointer(&format!("/spec/{key}"))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let mut total = List::new();
    for c in containers("containers") {
        add_into(&mut total, &of(&c));
    }
    // A sidecar (an init container that restarts Always) runs beside the
    // app, so it adds up; a plain init container runs alone, beside the
    // sidecars started before it.
    let mut sidecars = List::new();
    let mut init_peak = List::new();
    for c in containers("initContainers") {
        let own = of(&c);
        let need = if c.get("restartPolicy").and_then(Value::as_str) == Some("Always") {
            add_into(&mut total, &own);
            add_into(&mut sidecars, &own);
            sidecars.clone()
        } else {
            let mut need = own;
            add_into(&mut need, &sidecars);
            need
        };
        max_into(&mut init_peak, &need);
    }
    max_into(&mut total, &init_peak);
    let overhead = list_of(pod.pointer("/spec/overhead"));
    if field == "requests" {
        add_into(&mut total, &overhead);
    } else {
        // Overhead raises only the limits that are set.
        for (name, q) in &overhead {
            if let Some(have) = total.get_mut(name) {
                have.add(*q);
            }
        }
    }
    total
}

/// `PodRequestsAndLimits`.
pub(super) fn pod_requests_and_limits(pod: &Value) -> (List, List) {
    (pod_total(pod, "requests"), pod_total(pod, "limits"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn text_of(q: &str) -> String {
        Quantity::parse(q).map_or("none".into(), |q| q.text())
    }

    #[test]
    fn canonical_text_is_apimachinery_s() {
        for (given, want) in [
            ("100m", "100m"),
            ("0.5", "500m"),
            ("1000m", "1"),
            ("1500m", "1500m"),
            ("2", "2"),
            ("128Mi", "128Mi"),
            ("1.5Gi", "1536Mi"),
            ("1024", "1024"),
            ("1Ki", "1Ki"),
            ("512", "512"),
            ("0.5Ki", "512"),
            ("100M", "100M"),
            ("1e3", "1e3"),
            ("2E6", "2e6"),
            ("0", "0"),
            ("0Mi", "0"),
            ("1E", "1E"),
            ("250n", "250n"),
            ("94580335255", "94580335255"),
            ("16318460Ki", "16318460Ki"),
            ("1.5", "1500m"),
            ("0.1", "100m"),
            ("1.0000000001", "1000000001n"),
            ("3800m", "3800m"),
        ] {
            assert_eq!(text_of(given), want, "{given}");
        }
    }

    #[test]
    fn sums_keep_the_first_format_and_round_up() {
        let mut q = Quantity::default();
        q.add(Quantity::parse("64Mi").unwrap());
        q.add(Quantity::parse("128Mi").unwrap());
        assert_eq!(q.text(), "192Mi");
        q.add(Quantity::parse("1M").unwrap());
        assert_eq!(q.text(), "202326592", "not whole Ki: a plain number");
        let mut cpu = Quantity::parse("250m").unwrap();
        cpu.add(Quantity::parse("1").unwrap());
        assert_eq!((cpu.text(), cpu.milli()), ("1250m".into(), 1250));
        let tiny = Quantity::parse("1n").unwrap();
        assert_eq!((tiny.milli(), tiny.value()), (1, 1), "rounded up");
    }

    #[test]
    fn malformed_quantities_are_left_out_never_a_panic() {
        for bad in [
            "",
            "abc",
            "1.2.3",
            "-1",
            "1e400",
            "9999999999999999999999999999999Ei",
            "1GiB",
            "٣",
        ] {
            assert_eq!(Quantity::parse(bad), None, "{bad:?}");
        }
        let pod = json!({"spec": {"containers": [
            {"resources": {"requests": {"cpu": "lots", "memory": 5, "x": null}}},
            {"resources": {"requests": "not a map", "limits": []}},
            "not a container"]}});
        let (req, lim) = pod_requests_and_limits(&pod);
        assert!(req.is_empty() && lim.is_empty(), "{req:?} {lim:?}");
        // Huge but parseable: saturates instead of overflowing.
        let mut q = Quantity::parse("900Ei").unwrap();
        for _ in 0..10 {
            q.add(q);
        }
        assert!(q.value() > 0);
    }

    #[test]
    fn init_containers_count_as_kubectl_counts_them() {
        let c = |cpu: &str, mem: &str| {
            json!({"resources": {"requests": {"cpu": cpu, "memory": mem},
                                                           "limits": {"cpu": cpu}}})
        };
        let mut sidecar = c("100m", "64Mi");
        sidecar["restartPolicy"] = json!("Always");
        let pod = json!({"spec": {
            "containers": [c("200m", "128Mi"), c("300m", "128Mi")],
            // The big init container runs with the sidecar before it: 1100m.
            "initContainers": [sidecar, c("1", "32Mi")],
            "overhead": {"cpu": "10m", "memory": "1Mi"}}});
        let (req, lim) = pod_requests_and_limits(&pod);
        // App 500m + sidecar 100m = 600m < init 1000m + sidecar 100m.
        assert_eq!(req["cpu"].text(), "1110m");
        // App 256Mi + sidecar 64Mi = 320Mi > init 32Mi + 64Mi; then 1Mi.
        assert_eq!(req["memory"].text(), "321Mi");
        assert_eq!(lim["cpu"].text(), "1110m");
        assert!(!lim.contains_key("memory"), "overhead sets no limit");
    }
}
