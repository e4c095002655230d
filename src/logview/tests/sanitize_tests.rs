//! Hostile input: everything but SGR must be gone by the time it reaches
//! the screen buffer.

use ratatui::style::{Color, Modifier};

use super::*;

fn row0(bytes: &[u8]) -> String {
    rows(&render_one(bytes)).remove(0)
}

#[test]
fn sgr_16_colours_kept_and_reset() {
    let buf = render_one(b"\x1b[31mred\x1b[0m plain \x1b[92mbright\x1b[39m\n");
    assert_eq!(rows(&buf)[0], "red plain bright");
    assert_eq!(buf[(0, 0)].fg, Color::Red);
    assert_eq!(buf[(2, 0)].fg, Color::Red);
    assert_eq!(buf[(4, 0)].fg, Color::Reset);
    assert_eq!(buf[(10, 0)].fg, Color::LightGreen);
}

#[test]
fn sgr_256_and_truecolor_both_forms() {
    let buf = render_one(
        b"\x1b[38;5;196mA\x1b[38;2;1;2;3mB\x1b[38:2::4:5:6mC\x1b[48;5;21mD\x1b[38:5:3mE\n",
    );
    assert_eq!(rows(&buf)[0], "ABCDE");
    assert_eq!(buf[(0, 0)].fg, Color::Indexed(196));
    assert_eq!(buf[(1, 0)].fg, Color::Rgb(1, 2, 3));
    assert_eq!(buf[(2, 0)].fg, Color::Rgb(4, 5, 6));
    assert_eq!(buf[(3, 0)].bg, Color::Indexed(21));
    assert_eq!(
        buf[(4, 0)].fg,
        Color::Yellow,
        "indexed 0..15 map to named colours"
    );
}

#[test]
fn sgr_attributes_and_their_resets() {
    let buf = render_one(b"\x1b[1;3;4;7;2mX\x1b[22;23;24;27mY\x1b[8mZ\n");
    let x = buf[(0, 0)].modifier;
    for m in [
        Modifier::BOLD,
        Modifier::ITALIC,
        Modifier::UNDERLINED,
        Modifier::REVERSED,
        Modifier::DIM,
    ] {
        assert!(x.contains(m), "{m:?} missing on X: {x:?}");
    }
    assert_eq!(buf[(1, 0)].modifier, Modifier::empty());
    // Conceal is ignored so a line cannot hide text from the reader.
    assert_eq!(rows(&buf)[0], "XYZ");
    assert!(!buf[(2, 0)].modifier.contains(Modifier::HIDDEN));
}

#[test]
fn styles_do_not_leak_into_the_next_line() {
    let mut log = LogBuffer::new(10);
    log.push_bytes(LineSource::stdout(), b"\x1b[31mred forever\nnext\n");
    let mut st = LogViewState::new();
    let buf = draw(&log, &mut st, 20, 2);
    assert_eq!(buf[(0, 0)].fg, Color::Red);
    assert_eq!(buf[(0, 1)].fg, Color::Reset);
}

#[test]
fn csi_cursor_erase_and_mode_switches_removed() {
    assert_eq!(
        row0(b"a\x1b[2Jb\x1b[10;10Hc\x1b[Kd\x1b[?1049he\x1b[?25lf\x1b[5Ag\x1b[>4;2mh\x1b[6ni\n"),
        "abcdefghi"
    );
}

#[test]
fn osc_title_clipboard_and_hyperlinks() {
    let buf = render_one(
        b"x\x1b]0;evil title\x07y\x1b]2;t2\x1b\\z \x1b]52;c;ZXZpbA==\x07ok \
          \x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\ here\n",
    );
    assert_eq!(rows(&buf)[0], "xyz ok click here");
    let all = all_text(&buf);
    assert!(!all.contains("evil") && !all.contains("ZXZp"), "{all}");
}

#[test]
fn dcs_apc_pm_sos_strings_removed() {
    assert_eq!(
        row0(b"a\x1bP1$qm\x1b\\b\x1b_apc data\x1b\\c\x1b^pm\x1b\\d\x1bXsos\x1b\\e\n"),
        "abcde"
    );
}

#[test]
fn eight_bit_c1_controls_removed_with_their_sequences() {
    // Raw 8-bit CSI, OSC (BEL- and ST-terminated) and DCS.
    assert_eq!(row0(b"a\x9b2Jb\x9b?1049hc\n"), "abc");
    assert_eq!(row0(b"a\x9d0;title\x07b\x9d2;t\x9cc\n"), "abc");
    assert_eq!(row0(b"a\x90qdata\x9cb\x85c\n"), "abc");
    // The C1 code points encoded as UTF-8 are controls too.
    assert_eq!(row0(b"a\xc2\x9b2Jb\xc2\x9d0;t\x07c\n"), "abc");
    // 0x9B as a continuation byte of valid UTF-8 is ordinary text (ě, ›).
    assert_eq!(row0("pě›x\n".as_bytes()), "pě›x");
}

#[test]
fn other_escapes_and_reset_removed() {
    assert_eq!(
        row0(b"a\x1bcb\x1b7c\x1b8d\x1b(Be\x1b=f\x1bMg\x1b#8h\n"),
        "abcdefgh"
    );
}

#[test]
fn bare_c0_nul_del_removed() {
    assert_eq!(
        row0(b"a\x00b\x07c\x08d\x0be\x0cf\x7fg\x1ah\x0ei\x18j\n"),
        "abcdefghij"
    );
}

#[test]
fn bidi_overrides_and_bom_removed() {
    assert_eq!(row0("a\u{202e}b\u{2066}c\u{feff}d\n".as_bytes()), "abcd");
}

#[test]
fn tabs_expand_to_multiples_of_8() {
    assert_eq!(row0(b"a\tb\n"), "a       b");
    assert_eq!(row0(b"abcdefgh\tX\n"), "abcdefgh        X");
    // Columns count display width: a wide char is 2 columns.
    assert_eq!(row0("日\tX\n".as_bytes()), "日      X");
}

#[test]
fn invalid_utf8_becomes_replacement_chars() {
    // ED A0 80 (an encoded surrogate) is three invalid bytes; the last one,
    // 0x80, is a lone C1 byte and is dropped as a control (see sanitize.rs).
    assert_eq!(
        row0(b"a\xffb\xc3(c\xed\xa0\x80d\n"),
        "a\u{fffd}b\u{fffd}(c\u{fffd}\u{fffd}d"
    );
    // Truncated sequence at the line end.
    assert_eq!(row0(b"ok\xe2\x82\n"), "ok\u{fffd}");
}

#[test]
fn carriage_return_shows_final_state() {
    assert_eq!(row0(b"10%\r20%\r100%\n"), "100%");
    assert_eq!(row0(b"downloading 50%\rdone\n"), "doneloading 50%");
    assert_eq!(row0(b"crlf line\r\n"), "crlf line");
    assert_eq!(row0(b"\x1b[32mold text\r\x1b[31mnew\n"), "new text");
    // Overwriting half of a wide char blanks the other half.
    assert_eq!(row0("日本\rx\n".as_bytes()), "x 本");
}

#[test]
fn carriage_return_keeps_styles_of_overwrite() {
    let buf = render_one(b"\x1b[32mgreen\r\x1b[31mR\n");
    assert_eq!(rows(&buf)[0], "Rreen");
    assert_eq!(buf[(0, 0)].fg, Color::Red);
    assert_eq!(buf[(1, 0)].fg, Color::Green);
}

#[test]
fn crlf_split_across_chunks() {
    let mut log = LogBuffer::new(10);
    log.push_bytes(LineSource::stdout(), b"one\r");
    log.push_bytes(LineSource::stdout(), b"\ntwo\r\n");
    let texts: Vec<_> = log.iter().map(|(_, l)| l.text().to_owned()).collect();
    assert_eq!(texts, ["one", "two"]);
}

#[test]
fn megabyte_line_is_truncated_with_marker() {
    let mut log = LogBuffer::new(10);
    let mut big = vec![b'x'; 1 << 20];
    big.push(b'\n');
    log.push_bytes(LineSource::stdout(), &big);
    let line = log.get(0).map(|l| (l.text().len(), l.cut_bytes()));
    assert_eq!(line, Some((64 * 1024, (1 << 20) - 64 * 1024)));

    let mut small = LogBuffer::new(10).with_max_line_bytes(20);
    small.push_bytes(LineSource::stdout(), &[b'y'; 1000]);
    small.push_bytes(LineSource::stdout(), b"\n");
    let mut st = LogViewState::new();
    st.set_wrap(true);
    let text = rows(&draw(&small, &mut st, 50, 2)).join("");
    assert_eq!(text, format!("{} [… 980 bytes cut]", "y".repeat(20)));
}

#[test]
fn hostile_megabyte_lines_stay_bounded() {
    let mut log = LogBuffer::new(10).with_max_line_bytes(1024);
    // A million carriage returns, a megabyte of SGR, and an endless OSC.
    log.push_bytes(LineSource::stdout(), &b"ab\r".repeat(350_000));
    log.push_bytes(LineSource::stdout(), b"\n");
    log.push_bytes(LineSource::stdout(), &b"\x1b[31mr\x1b[32mg".repeat(80_000));
    log.push_bytes(LineSource::stdout(), b"\n\x1b]0;");
    log.push_bytes(LineSource::stdout(), &[b'o'; 1 << 20]);
    log.push_bytes(LineSource::stdout(), b"\nafter\n");
    assert_eq!(log.len(), 4);
    assert_eq!(
        log.get(0).map(|l| (l.text(), l.cut_bytes())),
        Some(("ab", 0))
    );
    let rg = log.get(1).map(|l| (l.text().len(), l.spans().len()));
    assert!(rg.is_some_and(|(t, s)| t == 1024 && s <= 1024), "{rg:?}");
    assert_eq!(log.get(2).map(|l| l.text()), Some(""));
    assert!(log.get(2).is_some_and(|l| l.cut_bytes() > 0));
    assert_eq!(log.get(3).map(|l| l.text()), Some("after"));
}

#[test]
fn unterminated_string_only_swallows_its_own_line() {
    let mut log = LogBuffer::new(10);
    log.push_bytes(
        LineSource::stdout(),
        b"a\x1b]0;never ends\nnext line\nb\x1bP no end\nlast\n",
    );
    let texts: Vec<_> = log.iter().map(|(_, l)| l.text().to_owned()).collect();
    assert_eq!(texts, ["a", "next line", "b", "last"]);
}

#[test]
fn sequences_and_utf8_split_across_chunks() {
    let mut log = LogBuffer::new(10);
    for chunk in [
        &b"\x1b[3"[..],
        b"1mre",
        b"d \xe2\x82",
        b"\xac \x1b]0;ti",
        b"tle\x07ok\n",
    ] {
        log.push_bytes(LineSource::stdout(), chunk);
    }
    let mut st = LogViewState::new();
    let buf = draw(&log, &mut st, 20, 1);
    assert_eq!(rows(&buf)[0], "red € ok");
    assert_eq!(buf[(0, 0)].fg, Color::Red);
}

#[test]
fn no_control_character_reaches_the_buffer() {
    let mut hostile = Vec::new();
    for b in 0u8..=255 {
        hostile.extend_from_slice(&[b'<', b, b'>']);
    }
    hostile.extend_from_slice("\u{85}\u{9b}\u{9d}".as_bytes());
    let mut log = LogBuffer::new(10);
    log.push_bytes(LineSource::stdout(), &hostile);
    log.flush();
    let mut st = LogViewState::new();
    st.set_wrap(true);
    let buf = draw(&log, &mut st, 40, 30);
    for c in all_text(&buf).chars() {
        assert!(!c.is_control(), "control {:?} reached the buffer", c);
    }
}
