//! The `/` filter every list shares: what a query means and how well a
//! row matches it.
//!
//! A query is terms separated by spaces, all of which must hold (AND):
//!
//! - `web` — plain text. It must appear as one piece (case ignored) in one
//!   of the row's fields; letters scattered over several columns never
//!   match, since that is how `/web` used to find `redis-0`.
//! - `ns:payments` — the text must appear in that field (`status:failure`,
//!   `repo:shop-api`, `image:redis` …, each pane names its own fields).
//!   A word before `:` that is no field of the pane is plain text, so
//!   `/http://` still finds a URL. `ns:` with nothing after it yet holds
//!   for every row, so the list does not blink empty while typing.
//! - `!term` — the row must not match the term (`!status:success`, `!web`).
//!
//! Rows are ranked by how well their plain terms match, best first:
//! the name starts with the text, then a word of the name does
//! (`api` in `shop-api-1`), then the name contains it, then another field
//! does. Last, a fuzzy match of the name alone is accepted when it reads as
//! an abbreviation: every letter continues the previous one or starts a
//! word of the name (`sapi` finds `shop-api-1`, `fcw` finds
//! `fraud-check-worker-…`). That is the fuzziness an on-call engineer
//! counts on when typing half a name from memory; hash suffixes full of
//! letters (`-7b9c4`) would make any looser rule match nearly every pod.
//! Only names that are one token (pods, containers) are abbreviated: in a
//! sentence (a commit title) word starts are everywhere, and `/failure`
//! would find "fail fast in ui release" on a green run.
//! A negated term only excludes on a real (contiguous) match, never on an
//! abbreviation, so `!web` does not hide rows by accident.

/// The fields of one row as the filter sees them, lowercased once. Reused
/// between rows so a rebuild allocates once.
#[derive(Debug, Default)]
pub struct Fields {
    text: String,
    /// Names a field answers to, and its value's range in `text`.
    entries: Vec<(&'static [&'static str], usize, usize)>,
    /// The name's range in `text`, if the row has one.
    name: Option<(usize, usize)>,
}

impl Fields {
    pub fn clear(&mut self) {
        self.text.clear();
        self.entries.clear();
        self.name = None;
    }

    /// The row's name: ranked first, the only field an abbreviation may
    /// match, and the field `name:` selects.
    pub fn name(&mut self, value: &str) {
        let range = self.push(value);
        self.name = Some(range);
        self.entries.push((&["name"], range.0, range.1));
    }

    /// A field known by `names` (the first is the one help shows, e.g.
    /// `["namespace", "ns"]`).
    pub fn field(&mut self, names: &'static [&'static str], value: &str) {
        let range = self.push(value);
        self.entries.push((names, range.0, range.1));
    }

    fn push(&mut self, value: &str) -> (usize, usize) {
        let start = self.text.len();
        self.text.extend(value.chars().flat_map(char::to_lowercase));
        (start, self.text.len())
    }

    fn value(&self, start: usize, end: usize) -> &str {
        self.text.get(start..end).unwrap_or("")
    }

    fn name_text(&self) -> &str {
        self.name.map_or("", |(s, e)| self.value(s, e))
    }

    /// The values of the fields called `field`; None when no field is.
    fn named<'a>(&'a self, field: &'a str) -> Option<impl Iterator<Item = &'a str> + 'a> {
        let mut hits = self
            .entries
            .iter()
            .filter(move |(names, _, _)| names.contains(&field))
            .peekable();
        hits.peek()?;
        Some(hits.map(|&(_, s, e)| self.value(s, e)))
    }
}

/// How well a row matches; lower is better.
pub type Rank = u8;

const NAME_PREFIX: Rank = 0;
const NAME_WORD: Rank = 1;
const NAME_INSIDE: Rank = 2;
const OTHER_FIELD: Rank = 3;
const ABBREVIATION: Rank = 4;

#[derive(Debug, Clone, PartialEq, Eq)]
struct Term {
    negate: bool,
    /// `ns` of `ns:payments`, when the term has that shape.
    field: Option<String>,
    /// The value after `field:`, or the whole term; lowercased.
    value: String,
    /// The whole term, for a `word:` that is no field of the row.
    whole: String,
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Filter {
    terms: Vec<Term>,
}

impl Filter {
    pub fn parse(query: &str) -> Filter {
        let terms = query
            .split_whitespace()
            .filter_map(|raw| {
                let (negate, rest) = match raw.strip_prefix('!') {
                    Some(rest) => (true, rest),
                    None => (false, raw),
                };
                let whole: String = rest.chars().flat_map(char::to_lowercase).collect();
                if whole.is_empty() {
                    return None;
                }
                let (field, value) = match whole.split_once(':') {
                    Some((f, v))
                        if !f.is_empty()
                            && f.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') =>
                    {
                        (Some(f.to_string()), v.to_string())
                    }
                    _ => (None, whole.clone()),
                };
                Some(Term {
                    negate,
                    field,
                    value,
                    whole,
                })
            })
            .collect();
        Filter { terms }
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The row's rank, or None when it does not match. A row is as good as
    /// its worst-matching term.
    pub fn rank(&self, fields: &Fields) -> Option<Rank> {
        let mut worst = NAME_PREFIX;
        for term in &self.terms {
            let rank = term_rank(term, fields, !term.negate);
            match (term.negate, rank) {
                (true, Some(_)) | (false, None) => return None,
                (false, Some(r)) => worst = worst.max(r),
                (true, None) => {}
            }
        }
        Some(worst)
    }
}

fn term_rank(term: &Term, fields: &Fields, abbreviations: bool) -> Option<Rank> {
    if let Some(field) = &term.field {
        if let Some(mut values) = fields.named(field) {
            // A field term does not rank: `ns:shop` says where, not how well.
            return values
                .any(|v| v.contains(term.value.as_str()))
                .then_some(NAME_PREFIX);
        }
        return text_rank(&term.whole, fields, abbreviations);
    }
    text_rank(&term.value, fields, abbreviations)
}

fn text_rank(text: &str, fields: &Fields, abbreviations: bool) -> Option<Rank> {
    if text.is_empty() {
        return Some(NAME_PREFIX);
    }
    let name = fields.name_text();
    if name.starts_with(text) {
        return Some(NAME_PREFIX);
    }
    let mut inside = name.match_indices(text).peekable();
    if inside.peek().is_some() {
        let word_start = inside.any(|(i, _)| starts_word(name, i));
        return Some(if word_start { NAME_WORD } else { NAME_INSIDE });
    }
    let elsewhere = fields
        .entries
        .iter()
        .any(|&(_, s, e)| fields.value(s, e).contains(text));
    if elsewhere {
        return Some(OTHER_FIELD);
    }
    let one_token = !name.contains(char::is_whitespace);
    (abbreviations && one_token && abbreviates(text, name)).then_some(ABBREVIATION)
}

/// Whether byte `i` of `s` begins a word: the start, or after a character
/// that is not a letter or digit (`-`, `_`, `.`, `/`, space).
fn starts_word(s: &str, i: usize) -> bool {
    s.get(..i)
        .and_then(|before| before.chars().next_back())
        .is_none_or(|c| !c.is_alphanumeric())
}

/// Whether `text` reads as an abbreviation of `name`: its characters in
/// order, each either right after the previous one or at the start of a
/// word (see the module's rule).
fn abbreviates(text: &str, name: &str) -> bool {
    let mut chars = text.chars();
    let Some(first) = chars.next() else {
        return true;
    };
    // (character, starts a word) for each character of the name.
    let mut previous = None;
    let n: Vec<(char, bool)> = name
        .chars()
        .map(|c| {
            let word = previous.is_none_or(|p: char| !p.is_alphanumeric());
            previous = Some(c);
            (c, word)
        })
        .collect();
    // ok[j]: the text so far can end at the name's character j.
    let mut ok: Vec<bool> = n.iter().map(|&(c, word)| word && c == first).collect();
    for c in chars {
        let mut next = vec![false; n.len()];
        let mut before = false;
        let mut previous_ok = false;
        for (j, &(nc, word)) in n.iter().enumerate() {
            next[j] = nc == c && (previous_ok || (word && before));
            before |= ok[j];
            previous_ok = ok[j];
        }
        ok = next;
    }
    ok.into_iter().any(|b| b)
}

#[cfg(test)]
#[path = "filter_tests.rs"]
mod tests;
