"""Replays a terminal capture with SGR escapes onto a grid of styled cells.

Only what `tmux capture-pane -e -p` emits matters: text, newlines and SGR
(16/256/truecolour, bold, dim, italic, underline, reverse, hidden, strike).
Other escape sequences are skipped whole so they never print as text.
"""

import unicodedata
from collections import namedtuple

Style = namedtuple(
    "Style", "fg bg bold dim italic underline reverse hidden strike"
)
PLAIN = Style(None, None, False, False, False, False, False, False, False)

# Continuation marker for the right half of a double-width character.
WIDE_TAIL = ""


def _sgr_colour(params, i):
    """Reads an extended colour at params[i] (after 38/48/58).

    Returns (colour or None, index of the next unread parameter)."""
    if i >= len(params):
        return None, i
    mode = params[i]
    if mode == 5 and i + 1 < len(params):
        n = params[i + 1]
        return (("i", n) if 0 <= n <= 255 else None), i + 2
    if mode == 2 and i + 3 < len(params):
        r, g, b = (max(0, min(255, v)) for v in params[i + 1:i + 4])
        return ("rgb", r, g, b), i + 4
    return None, len(params)


def _split_params(raw):
    """SGR parameters; a colon group (38:2::r:g:b) becomes one list."""
    out = []
    for part in raw.split(";"):
        if ":" in part:
            sub = [int(p) if p.isdigit() else 0 for p in part.split(":")]
            # 38:2:CS:r:g:b carries a colour-space id the ';' form lacks.
            if len(sub) >= 6 and sub[1] == 2:
                sub = sub[:2] + sub[3:6]
            out.append(sub)
        else:
            out.append(int(part) if part.isdigit() else 0)
    return out


def apply_sgr(style, raw):
    params = _split_params(raw) if raw else [0]
    s = style._asdict()
    i = 0
    while i < len(params):
        p = params[i]
        i += 1
        if isinstance(p, list):
            head = p[0]
            if head in (38, 48):
                colour, _ = _sgr_colour(p, 1)
                s["fg" if head == 38 else "bg"] = colour
            elif head == 4:
                s["underline"] = len(p) < 2 or p[1] != 0
            continue
        if p == 0:
            s = PLAIN._asdict()
        elif p == 1:
            s["bold"] = True
        elif p == 2:
            s["dim"] = True
        elif p == 3:
            s["italic"] = True
        elif p in (4, 21):
            s["underline"] = True
        elif p == 7:
            s["reverse"] = True
        elif p == 8:
            s["hidden"] = True
        elif p == 9:
            s["strike"] = True
        elif p == 22:
            s["bold"] = s["dim"] = False
        elif p == 23:
            s["italic"] = False
        elif p == 24:
            s["underline"] = False
        elif p == 27:
            s["reverse"] = False
        elif p == 28:
            s["hidden"] = False
        elif p == 29:
            s["strike"] = False
        elif 30 <= p <= 37:
            s["fg"] = ("i", p - 30)
        elif 90 <= p <= 97:
            s["fg"] = ("i", p - 90 + 8)
        elif p == 39:
            s["fg"] = None
        elif 40 <= p <= 47:
            s["bg"] = ("i", p - 40)
        elif 100 <= p <= 107:
            s["bg"] = ("i", p - 100 + 8)
        elif p == 49:
            s["bg"] = None
        elif p in (38, 48, 58):
            colour, i = _sgr_colour(params, i)
            if p != 58:
                s["fg" if p == 38 else "bg"] = colour
        # Anything else (blink, fonts, overline...) has no picture here.
    return Style(**s)


def char_width(ch):
    if unicodedata.combining(ch):
        return 0
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 2
    # Box drawing and other "ambiguous" characters are one cell, as in
    # every terminal not configured for CJK.
    return 1


def parse(text, cols, rows):
    """Replays the capture onto a rows x cols grid of (text, Style) cells."""
    grid = [[(" ", PLAIN) for _ in range(cols)] for _ in range(rows)]
    style = PLAIN
    row = col = 0
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "\x1b":
            end = skip_escape(text, i)
            body = text[i + 2:end - 1]
            if text[i + 1:i + 2] == "[" and text[end - 1] == "m" and all(
                c in "0123456789;:" for c in body
            ):
                style = apply_sgr(style, body)
            i = end
            continue
        i += 1
        if ch == "\n":
            row += 1
            col = 0
            continue
        if ch == "\r":
            col = 0
            continue
        if ch == "\t":
            col = min(cols, (col // 8 + 1) * 8)
            continue
        if ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0:
            continue
        if row >= rows:
            continue
        w = char_width(ch)
        if w == 0:
            if col > 0:
                prev, st = grid[row][col - 1]
                if prev == WIDE_TAIL and col > 1:
                    base, st = grid[row][col - 2]
                    grid[row][col - 2] = (base + ch, st)
                else:
                    grid[row][col - 1] = (prev + ch, st)
            continue
        if col + w > cols:
            continue
        grid[row][col] = (ch, style)
        if w == 2:
            grid[row][col + 1] = (WIDE_TAIL, style)
        col += w
    return grid


def skip_escape(text, i):
    """Returns the index after the escape sequence starting at text[i]."""
    n = len(text)
    if i + 1 >= n:
        return n
    kind = text[i + 1]
    if kind == "[":
        j = i + 2
        while j < n and not ("\x40" <= text[j] <= "\x7e"):
            j += 1
        return min(n, j + 1)
    if kind in "]PX^_":
        # String sequences end with BEL or ST (ESC \).
        j = i + 2
        while j < n:
            if text[j] == "\x07":
                return j + 1
            if text[j] == "\x1b" and j + 1 < n and text[j + 1] == "\\":
                return j + 2
            j += 1
        return n
    return min(n, i + 2)


def visible_width(line):
    width = 0
    i = 0
    while i < len(line):
        if line[i] == "\x1b":
            i = skip_escape(line, i)
            continue
        if ord(line[i]) >= 0x20:
            width += char_width(line[i])
        i += 1
    return width
