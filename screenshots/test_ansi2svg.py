"""Tests of the capture-to-SVG converter: python3 -m unittest discover screenshots"""

import os
import sys
import unittest
import xml.dom.minidom

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import ansi2svg  # noqa: E402
from ansigrid import PLAIN, WIDE_TAIL, apply_sgr, parse, visible_width  # noqa: E402


class SgrTest(unittest.TestCase):
    def test_palette_256_and_truecolour(self):
        st = apply_sgr(PLAIN, "38;5;6;48;2;1;2;300")
        self.assertEqual(st.fg, ("i", 6))
        self.assertEqual(st.bg, ("rgb", 1, 2, 255))
        self.assertEqual(ansi2svg.resolve(apply_sgr(PLAIN, "38;5;196"))[0], "#ff0000")
        self.assertEqual(ansi2svg.resolve(apply_sgr(PLAIN, "38;5;244"))[0], "#808080")

    def test_colon_form_with_colour_space(self):
        self.assertEqual(apply_sgr(PLAIN, "38:2::10:20:30").fg, ("rgb", 10, 20, 30))

    def test_bright_and_resets(self):
        st = apply_sgr(PLAIN, "1;2;4;7;94;101")
        self.assertEqual((st.fg, st.bg), (("i", 12), ("i", 9)))
        self.assertTrue(st.bold and st.dim and st.underline and st.reverse)
        st = apply_sgr(st, "22;24;27;39;49")
        self.assertEqual(st, PLAIN)
        self.assertEqual(apply_sgr(st, ""), PLAIN)

    def test_reverse_swaps_defaults_and_dim_fades(self):
        fg, bg = ansi2svg.resolve(apply_sgr(PLAIN, "7"))
        self.assertEqual((fg, bg), (ansi2svg.BG, ansi2svg.FG))
        dim_fg, _ = ansi2svg.resolve(apply_sgr(PLAIN, "2"))
        self.assertNotEqual(dim_fg, ansi2svg.FG)


class GridTest(unittest.TestCase):
    def test_wide_chars_take_two_cells_box_chars_one(self):
        grid = parse("界│x\n", 5, 1)
        self.assertEqual([c[0] for c in grid[0]], ["界", WIDE_TAIL, "│", "x", " "])
        self.assertEqual(visible_width("\x1b[1m界│x\x1b[0m"), 4)

    def test_other_escapes_do_not_print(self):
        grid = parse("\x1b]8;;http://x\x07a\x1b[?25lb\x1b[>4;1mc", 4, 1)
        self.assertEqual("".join(c[0] for c in grid[0]), "abc ")
        self.assertEqual(grid[0][2][1], PLAIN)

    def test_style_carries_across_lines_and_overflow_is_cut(self):
        grid = parse("\x1b[31mabc\nd", 2, 2)
        self.assertEqual([[c[0] for c in row] for row in grid], [["a", "b"], ["d", " "]])
        self.assertEqual(grid[1][0][1].fg, ("i", 1))


class SvgTest(unittest.TestCase):
    def svg(self, capture, cols=12, rows=2):
        out = ansi2svg.render(parse(capture, cols, rows), title="t & <t>")
        return out, xml.dom.minidom.parseString(out)

    def test_escapes_xml_and_is_well_formed(self):
        out, doc = self.svg('a<b & "c">')
        texts = doc.getElementsByTagName("text")
        self.assertEqual(texts[0].firstChild.data, 'a<b & "c">')
        self.assertIn("&lt;b &amp;", out)
        self.assertEqual(doc.getElementsByTagName("title")[0].firstChild.data, "t & <t>")

    def test_one_text_per_style_run_at_grid_positions(self):
        _, doc = self.svg("ab \x1b[1mcd\x1b[0m")
        texts = doc.getElementsByTagName("text")
        self.assertEqual([t.firstChild.data for t in texts], ["ab", "cd"])
        pad, cw = ansi2svg.PAD, ansi2svg.CELL_W
        self.assertEqual(texts[1].getAttribute("x"), "%d %d" % (pad + 3 * cw, pad + 4 * cw))

    def test_box_drawing_becomes_paths_not_text(self):
        _, doc = self.svg("╭─╮\n╰─╯", cols=3)
        self.assertEqual(doc.getElementsByTagName("text"), [])
        paths = doc.getElementsByTagName("path")
        self.assertEqual(len(paths), 1)
        # A rounded corner is one stroke; a straight line is two half-cells
        # from the centre, so T-junctions and crossings share the code.
        self.assertEqual(paths[0].getAttribute("d").count("M"), 4 + 2 * 2)

    def test_background_runs_become_rects(self):
        _, doc = self.svg("\x1b[44m  x \x1b[0m y")
        rects = [r for r in doc.getElementsByTagName("rect") if r.getAttribute("x")]
        self.assertEqual(len(rects), 1)
        self.assertEqual(rects[0].getAttribute("width"), str(4 * ansi2svg.CELL_W))
        self.assertEqual(rects[0].getAttribute("fill"), ansi2svg.ANSI16[4])


if __name__ == "__main__":
    unittest.main()
