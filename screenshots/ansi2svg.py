#!/usr/bin/env python3
"""Turn a terminal capture with SGR escapes (`tmux capture-pane -e -p`) into an SVG.

Python 3 standard library only, so the screenshots can be regenerated on any
machine that has tmux and python3.

The output is a fixed monospace grid: every glyph gets its own x position, so
the picture does not depend on which monospace font the viewer falls back to.
Box-drawing and block characters are drawn as vector lines and rectangles
instead of glyphs, because font glyphs for them rarely span the full line
height and leave gaps between rows of a frame.

Usage: ansi2svg.py [-i CAPTURE] [-o OUT.svg] [--cols N] [--rows N] [--title T]
"""

import argparse
import sys

from ansigrid import WIDE_TAIL, parse, visible_width

# A dark terminal palette for the 16 ANSI colours (chosen for contrast on BG).
ANSI16 = [
    "#262a33", "#e06c75", "#98c379", "#e5c07b",
    "#61afef", "#c678dd", "#56b6c2", "#c8ccd4",
    "#6b7385", "#ff7b86", "#b5e890", "#ffd68a",
    "#8cc8ff", "#e3a3f5", "#7fd8e3", "#ffffff",
]
BG = "#16181d"
FG = "#d4d7dd"
FRAME = "#2c313a"

FONT_FAMILY = "'DejaVu Sans Mono','SFMono-Regular',Menlo,Consolas,'Liberation Mono',monospace"
FONT_SIZE = 15
CELL_W = 9
CELL_H = 18
BASELINE = 14  # from the top of a row; centres DejaVu's ascent+descent in CELL_H
PAD = 14

LIGHT, HEAVY, DOUBLE = 1, 2, 3

def _box_table():
    """Char -> (up, right, down, left, rounded) line weights."""
    table = {}
    shapes = {
        # light, heavy, double variants of the same shape
        (1, 0, 1, 0): "│┃║",
        (0, 1, 0, 1): "─━═",
        (0, 1, 1, 0): "┌┏╔",
        (0, 0, 1, 1): "┐┓╗",
        (1, 1, 0, 0): "└┗╚",
        (1, 0, 0, 1): "┘┛╝",
        (1, 1, 1, 0): "├┣╠",
        (1, 0, 1, 1): "┤┫╣",
        (0, 1, 1, 1): "┬┳╦",
        (1, 1, 0, 1): "┴┻╩",
        (1, 1, 1, 1): "┼╋╬",
        (0, 0, 0, 1): "╴╸",
        (1, 0, 0, 0): "╵╹",
        (0, 1, 0, 0): "╶╺",
        (0, 0, 1, 0): "╷╻",
    }
    for dirs, chars in shapes.items():
        for weight, ch in zip((LIGHT, HEAVY, DOUBLE), chars):
            table[ch] = tuple(d * weight for d in dirs) + (False,)
    for ch, dirs in (
        ("╭", (0, 1, 1, 0)),
        ("╮", (0, 0, 1, 1)),
        ("╯", (1, 0, 0, 1)),
        ("╰", (1, 1, 0, 0)),
    ):
        table[ch] = dirs + (True,)
    return table


BOX = _box_table()

# Block elements as (x0, y0, x1, y1, opacity) in fractions of the cell.
BLOCKS = {
    "█": (0, 0, 1, 1, 1.0),
    "▀": (0, 0, 1, 0.5, 1.0),
    "▔": (0, 0, 1, 0.125, 1.0),
    "▐": (0.5, 0, 1, 1, 1.0),
    "▕": (0.875, 0, 1, 1, 1.0),
    "░": (0, 0, 1, 1, 0.25),
    "▒": (0, 0, 1, 1, 0.5),
    "▓": (0, 0, 1, 1, 0.75),
}
for _i, _ch in enumerate("▁▂▃▄▅▆▇", start=1):
    BLOCKS[_ch] = (0, 1 - _i / 8, 1, 1, 1.0)
for _i, _ch in enumerate("▏▎▍▌▋▊▉", start=1):
    BLOCKS[_ch] = (0, 0, _i / 8, 1, 1.0)


# ---------------------------------------------------------------- parsing


# -------------------------------------------------------------- colours


def _hex(colour, default):
    if colour is None:
        return default
    if colour[0] == "rgb":
        return "#%02x%02x%02x" % colour[1:]
    n = colour[1]
    if n < 16:
        return ANSI16[n]
    if n < 232:
        n -= 16
        levels = (0, 95, 135, 175, 215, 255)
        return "#%02x%02x%02x" % (levels[n // 36], levels[n // 6 % 6], levels[n % 6])
    grey = 8 + (n - 232) * 10
    return "#%02x%02x%02x" % (grey, grey, grey)


def _blend(a, b, t):
    """a mixed with b; t is the share of a."""
    ca = [int(a[k:k + 2], 16) for k in (1, 3, 5)]
    cb = [int(b[k:k + 2], 16) for k in (1, 3, 5)]
    return "#%02x%02x%02x" % tuple(round(x * t + y * (1 - t)) for x, y in zip(ca, cb))


def resolve(style):
    """(fg, bg) as hex after reverse video and dim; bg None means default."""
    fg = _hex(style.fg, FG)
    bg = _hex(style.bg, BG) if style.bg is not None else None
    if style.reverse:
        fg, bg = (bg or BG), fg
    if style.dim:
        fg = _blend(fg, bg or BG, 0.6)
    return fg, bg


# ------------------------------------------------------------- drawing


def _box_paths(x, y, spec):
    """SVG path data per stroke width for one box-drawing cell."""
    up, right, down, left, rounded = spec
    cx = x + CELL_W / 2
    cy = y + CELL_H / 2
    out = {}

    def add(width, d):
        out.setdefault(width, []).append(d)

    if rounded:
        r = CELL_W / 2
        hx = x + CELL_W if right else x
        vy = y + CELL_H if down else y
        sx = r if right else -r
        sy = r if down else -r
        add(1, "M%g %gL%g %gQ%g %g %g %gL%g %g" % (
            hx, cy, cx + sx, cy, cx, cy, cx, cy + sy, cx, vy))
        return out

    for weight, axis, sign in (
        (up, "v", -1), (down, "v", 1), (left, "h", -1), (right, "h", 1)
    ):
        if not weight:
            continue
        width = 2 if weight == HEAVY else 1
        # Overshoot the centre by half a stroke so corners close cleanly.
        over = width / 2
        offsets = (-2, 2) if weight == DOUBLE else (0,)
        for off in offsets:
            extra = 2 if weight == DOUBLE else over
            if axis == "v":
                end = y if sign < 0 else y + CELL_H
                add(width, "M%g %gL%g %g" % (cx + off, cy - sign * extra, cx + off, end))
            else:
                end = x if sign < 0 else x + CELL_W
                add(width, "M%g %gL%g %g" % (cx - sign * extra, cy + off, end, cy + off))
    return out


def _split_gaps(run, decorated, gap=4):
    """Splits a text run at wide gaps of spaces and trims its ends: blank
    cells carry no ink, and every glyph costs an x coordinate in the file."""
    if decorated:
        return [run]
    pieces = []
    current = []
    blanks = 0
    for cell in run:
        if cell[1] == " ":
            blanks += 1
            current.append(cell)
            continue
        if blanks >= gap:
            pieces.append(current[:-blanks])
            current = []
        blanks = 0
        current.append(cell)
    if blanks:
        current = current[:-blanks]
    pieces.append(current)
    return [p for p in pieces if p and any(ch != " " for _, ch in p)]


def _esc(s):
    out = []
    for ch in s:
        o = ord(ch)
        if ch == "&":
            out.append("&amp;")
        elif ch == "<":
            out.append("&lt;")
        elif ch == ">":
            out.append("&gt;")
        elif ch == '"':
            out.append("&quot;")
        elif (o < 0x20 and ch not in "\t\n\r") or 0xD800 <= o <= 0xDFFF or o in (0xFFFE, 0xFFFF):
            out.append("\ufffd")
        else:
            out.append(ch)
    return "".join(out)


class Picture:
    """The SVG elements of one screen, grouped so that each colour or text
    style is written once: background rects, vector strokes and fills for
    graphics characters, and text runs."""

    def __init__(self):
        self.bg_rects = []  # (x, y, width, colour)
        self.strokes = {}  # (colour, stroke width) -> [path data]
        self.fills = {}  # (colour, opacity) -> [path data]
        self.texts = []  # (style key, y, [(x, text)])

    def add_row(self, y, line):
        self._add_backgrounds(y, line)
        run_key = None
        run = []
        for c, (ch, st) in enumerate(line):
            if ch == WIDE_TAIL:
                continue
            x = PAD + c * CELL_W
            fg, _ = resolve(st)
            key = None
            if st.hidden:
                pass
            elif ch in BOX:
                for w, ds in _box_paths(x, y, BOX[ch]).items():
                    self.strokes.setdefault((fg, w), []).extend(ds)
            elif ch in BLOCKS:
                x0, y0, x1, y1, op = BLOCKS[ch]
                self.fills.setdefault((fg, op), []).append("M%g %gh%gv%gh%gz" % (
                    x + x0 * CELL_W, y + y0 * CELL_H, (x1 - x0) * CELL_W,
                    (y1 - y0) * CELL_H, -(x1 - x0) * CELL_W))
            elif ch != " " or st.underline or st.strike:
                key = (fg, st.bold, st.italic, st.underline, st.strike)
            elif run_key is not None:
                # An undecorated space has no ink: it joins the run it is in.
                run.append((x, ch))
                continue
            if key is not None and key == run_key:
                run.append((x, ch))
                continue
            if run:
                self.texts.append((run_key, y, run))
            run_key, run = key, ([(x, ch)] if key is not None else [])
        if run:
            self.texts.append((run_key, y, run))

    def _add_backgrounds(self, y, line):
        c = 0
        while c < len(line):
            bg = resolve(line[c][1])[1]
            start = c
            while c < len(line) and resolve(line[c][1])[1] == bg:
                c += 1
            if bg is not None:
                self.bg_rects.append((PAD + start * CELL_W, y, (c - start) * CELL_W, bg))

    def svg(self, width, height, title):
        out = [
            '<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
            'viewBox="0 0 %d %d" xml:space="preserve" role="img">' % (width, height, width, height)
        ]
        if title:
            out.append("<title>%s</title>" % _esc(title))
        classes, css = _text_classes({t[0] for t in self.texts})
        out.append("<style>%s</style>" % css)
        out.append('<rect width="%d" height="%d" rx="8" fill="%s" stroke="%s"/>' % (
            width, height, BG, FRAME))
        for x, y, w, colour in self.bg_rects:
            out.append('<rect x="%d" y="%d" width="%d" height="%d" fill="%s"/>' % (
                x, y, w, CELL_H, colour))
        for (colour, op), ds in self.fills.items():
            opacity = "" if op == 1.0 else ' fill-opacity="%g"' % op
            out.append('<path d="%s" fill="%s"%s/>' % ("".join(ds), colour, opacity))
        for (colour, w), ds in self.strokes.items():
            out.append('<path d="%s" fill="none" stroke="%s" stroke-width="%g"/>' % (
                "".join(ds), colour, w))
        for key, y, run in self.texts:
            for piece in _split_gaps(run, decorated=key[3] or key[4]):
                xs = []
                chars = []
                for x, ch in piece:
                    # A combining mark shares the x of the character it sits on.
                    for part in ch:
                        xs.append(str(x))
                        chars.append(part)
                out.append('<text class="%s" x="%s" y="%d">%s</text>' % (
                    classes[key], " ".join(xs), y + BASELINE, _esc("".join(chars))))
        out.append("</svg>")
        return "\n".join(out) + "\n"


def _text_classes(keys):
    """A CSS class per text style, numbered in a stable order."""
    classes = {}
    css = ["text{font-family:%s;font-size:%dpx;white-space:pre}" % (FONT_FAMILY, FONT_SIZE)]
    for key in sorted(keys, key=repr):
        fg, bold, italic, underline, strike = key
        name = "c%d" % len(classes)
        classes[key] = name
        rule = "fill:%s" % fg
        if bold:
            rule += ";font-weight:bold"
        if italic:
            rule += ";font-style:italic"
        deco = " ".join(d for d, on in (("underline", underline), ("line-through", strike)) if on)
        if deco:
            rule += ";text-decoration:%s" % deco
        css.append(".%s{%s}" % (name, rule))
    return classes, "".join(css)


def render(grid, title=None):
    rows = len(grid)
    cols = len(grid[0]) if rows else 0
    picture = Picture()
    for r, line in enumerate(grid):
        picture.add_row(PAD + r * CELL_H, line)
    return picture.svg(cols * CELL_W + 2 * PAD, rows * CELL_H + 2 * PAD, title)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-i", "--input", help="capture file (default: stdin)")
    ap.add_argument("-o", "--output", help="SVG file (default: stdout)")
    ap.add_argument("--cols", type=int, help="grid width (default: widest line)")
    ap.add_argument("--rows", type=int, help="grid height (default: line count)")
    ap.add_argument("--title", help="accessible title of the image")
    args = ap.parse_args(argv)

    if args.input:
        with open(args.input, "rb") as f:
            raw = f.read()
    else:
        raw = sys.stdin.buffer.read()
    text = raw.decode("utf-8", errors="replace")

    lines = text.rstrip("\n").split("\n") if text else []
    cols = args.cols if args.cols is not None else max(map(visible_width, lines), default=1)
    rows = args.rows if args.rows is not None else max(1, len(lines))
    if cols < 1 or rows < 1:
        ap.error("--cols and --rows must be positive")

    svg = render(parse(text, cols, rows), args.title)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(svg)
    else:
        sys.stdout.write(svg)
    return 0


if __name__ == "__main__":
    sys.exit(main())
