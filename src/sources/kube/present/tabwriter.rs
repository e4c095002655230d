//! kubectl describe's layout: its text goes through Go's `tabwriter`
//! (min width 0, padding 2), which pads each tab-ended cell to the widest
//! of its column among the consecutive lines that have that column.

/// `text` with its tabs turned into that alignment.
pub fn align(text: &str) -> String {
    let lines: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
    let columns = lines.iter().map(|l| l.len()).max().unwrap_or(1);
    let mut widths: Vec<Vec<usize>> = lines.iter().map(|l| vec![0; l.len()]).collect();
    for col in 0..columns.saturating_sub(1) {
        let has = |i: usize| lines[i].len() > col + 1;
        let mut i = 0;
        while i < lines.len() {
            if !has(i) {
                i += 1;
                continue;
            }
            let start = i;
            while i < lines.len() && has(i) {
                i += 1;
            }
            let widest = (start..i)
                .map(|j| lines[j][col].chars().count())
                .max()
                .unwrap_or(0);
            for row in &mut widths[start..i] {
                row[col] = widest + 2;
            }
        }
    }
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    for (cells, widths) in lines.iter().zip(&widths) {
        let mut line = String::new();
        for (i, cell) in cells.iter().enumerate() {
            line.push_str(cell);
            if i + 1 < cells.len() {
                let pad = widths[i].saturating_sub(cell.chars().count());
                line.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
