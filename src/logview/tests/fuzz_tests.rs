//! Randomised hostile input: chunking must not change the result, and
//! nothing dangerous may reach the screen buffer.

use super::*;

struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next()).unwrap_or(0) % n.max(1)
    }
}

const PIECES: &[&[u8]] = &[
    b"plain text ",
    b"\x1b[31m",
    b"\x1b[0m",
    b"\x1b[38;2;1;2;3m",
    b"\x1b]0;title\x07",
    b"\x1b]8;;http://x\x1b\\",
    b"\x1b[2J",
    b"\x1b",
    b"\x9b",
    b"\x9d",
    b"\x90",
    b"\x9c",
    b"\xc2\x9b",
    b"\xe2\x82\xac",
    b"\xe2\x82",
    b"\xff",
    b"\r",
    b"\r\n",
    b"\n",
    b"\t",
    b"\x00",
    b"2024-01-01T00:00:00Z ",
    "日本".as_bytes(),
    b"e\xcc\x81",
    b"##[group]",
    b"##[error]",
    b"##[endgroup]",
];

fn hostile(r: &mut Lcg, pieces: usize) -> Vec<u8> {
    let mut v = Vec::new();
    for _ in 0..pieces {
        v.extend_from_slice(PIECES[r.below(PIECES.len())]);
    }
    v
}

type Snapshot = Vec<(Option<String>, String, Vec<super::super::StyledSpan>, u64)>;

fn snapshot(log: &LogBuffer) -> Snapshot {
    log.iter()
        .map(|(_, l)| {
            (
                l.timestamp().map(str::to_owned),
                l.text().to_owned(),
                l.spans().to_vec(),
                l.cut_bytes(),
            )
        })
        .collect()
}

fn ingest(data: &[u8], splits: &[usize], timestamps: bool) -> LogBuffer {
    let mut log = LogBuffer::new(100_000)
        .with_timestamps(timestamps)
        .with_format(super::super::LogFormat::GitHubActions)
        .with_max_line_bytes(64);
    let mut start = 0;
    for &end in splits.iter().chain(std::iter::once(&data.len())) {
        log.push_bytes(LineSource::stdout(), data.get(start..end).unwrap_or(&[]));
        start = end;
    }
    log.flush();
    log
}

#[test]
fn chunking_never_changes_the_lines() {
    let mut r = Lcg(1);
    for case in 0..300 {
        let data = hostile(&mut r, 40);
        let mut splits: Vec<usize> = (0..r.below(12)).map(|_| r.below(data.len() + 1)).collect();
        splits.sort_unstable();
        let timestamps = case % 2 == 0;
        let whole = snapshot(&ingest(&data, &[], timestamps));
        let chunked = snapshot(&ingest(&data, &splits, timestamps));
        let bytewise: Vec<usize> = (1..data.len()).collect();
        let one_by_one = snapshot(&ingest(&data, &bytewise, timestamps));
        assert_eq!(
            whole,
            chunked,
            "case {case}: {:?} split at {splits:?}",
            String::from_utf8_lossy(&data)
        );
        assert_eq!(whole, one_by_one, "case {case}: byte by byte");
    }
}

#[test]
fn random_input_renders_only_printable_text() {
    let mut r = Lcg(2);
    for case in 0..100 {
        let data = hostile(&mut r, 60);
        let log = ingest(&data, &[], case % 2 == 0);
        let mut st = LogViewState::new();
        st.set_wrap(case % 3 == 0);
        st.expand_all(&log);
        let (w, h) = (1 + r.below(40) as u16, r.below(12) as u16);
        let buf = draw(&log, &mut st, w, h);
        for c in all_text(&buf).chars() {
            assert!(!c.is_control(), "case {case}: {c:?} reached the buffer");
            assert!(
                !matches!(c, '\u{80}'..='\u{9f}' | '\u{202e}'),
                "case {case}: {c:?}"
            );
        }
    }
}
