"""The complaint's CJK font, parsed once per process and handed to every PDF as a cheap copy.

Why: fpdf2's `add_font` parses the whole TrueType collection for every document (AR PL UMing:
≈ 100 ms of CPU for its cmap, hmtx, post and glyf tables), and its subsetter then cuts that parsed
font down *in place*, so a parsed font serves one document only. Here the font is parsed once
(`ParsedFont.load`, cached per path and process) and every document gets `ParsedFont.attach`:
a copy of fpdf2's font object whose fontTools tables are shallow copies of the parsed ones. The
subsetter only reassigns those tables' containers (`glyf.glyphs`, `hmtx.metrics`, `cmap` subtables'
maps, the glyph order) and edits in place only the glyphs it keeps — which the copied `glyf`
hands out as copies (`_CopyingGlyphs`) — so the parsed font stays whole for the next document
(tests/court/test_complaint.py renders one complaint after another and compares with a fresh parse).

`recalcBBoxes` is off on the copy: the kept glyphs are written as they were read (their boxes are
in their data) instead of being decoded and encoded again, which was ≈ 40 ms per document.
"""
from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path
from typing import Any

FAMILY = "cjk"
# Tables the subsetter drops (fontTools' default list, fpdf2's additions, and those it cannot subset,
# such as the BDF bitmaps of AR PL UMing): never decoded, left out of the copies.
NOT_EMBEDDED = frozenset({
    "BDF ", "CBDT", "CBLC", "COLR", "CPAL", "DSIG", "EBDT", "EBLC", "EBSC", "FFTM", "Feat", "GDEF", "GPOS", "GSUB",
    "Glat", "Gloc", "JSTF", "LTSH", "MATH", "PCLT", "SVG ", "Silf", "Sill", "hdmx", "meta", "sbix",
})


class _CopyingGlyphs(dict):
    """`glyf.glyphs` of a copy: a glyph read by key is copied first, since the subsetter rewrites
    the glyphs it keeps (component ids, trimmed data) in place."""

    def __getitem__(self, name: str) -> Any:
        glyph = dict.__getitem__(self, name)
        mine = copy.copy(glyph)
        dict.__setitem__(self, name, mine)
        return mine


def _copy_table(tag: str, table: Any) -> Any:
    mine = copy.copy(table)
    if tag == "glyf":
        mine.glyphs = _CopyingGlyphs(table.glyphs)
        mine.glyphOrder = list(table.glyphOrder)
    elif tag == "cmap":
        mine.tables = [copy.copy(sub) for sub in table.tables]
    elif tag == "name":
        mine.names = list(table.names)
    return mine


class ParsedFont:
    """fpdf2's parsed font object for one font file, kept for the life of the process."""

    def __init__(self, master: Any) -> None:
        self.master = master

    @classmethod
    def load(cls, path: Path) -> "ParsedFont":
        from fpdf import FPDF

        pdf = FPDF()
        pdf.add_font(FAMILY, fname=str(path))
        master = pdf.fonts[FAMILY]
        ttfont = master.ttfont
        for tag in ttfont.keys():  # decode now what is embedded: the copies share the decoded tables
            if tag != "GlyphOrder" and tag not in NOT_EMBEDDED:
                ttfont[tag]
        ttfont.getGlyphOrder()
        ttfont.getReverseGlyphMap()
        return cls(master)

    def attach(self, pdf: Any, family: str = FAMILY) -> None:
        """Give `pdf` the font under `family`, as `pdf.add_font(family, fname=…)` would."""
        from fontTools import ttLib
        from fpdf.fonts import SubsetMap

        master, source = self.master, self.master.ttfont
        ttfont = ttLib.TTFont.__new__(ttLib.TTFont)
        ttfont.__dict__.update(source.__dict__)
        ttfont.reader = None
        ttfont.tables = {tag: _copy_table(tag, table) for tag, table in source.tables.items()
                         if tag not in NOT_EMBEDDED}
        ttfont.glyphOrder = list(source.glyphOrder)
        ttfont._reverseGlyphOrderDict = dict(source._reverseGlyphOrderDict)
        ttfont.recalcBBoxes = False
        font = copy.copy(master)
        fresh = dict(i=len(pdf.fonts) + 1, fontkey=family, ttfont=ttfont, missing_glyphs=[], biggest_size_pt=0,
                     _hbfont=None)
        for name, value in fresh.items():  # fpdf2's font object has __slots__
            setattr(font, name, value)
        font.subset = SubsetMap(font)
        pdf.fonts[family] = font


@lru_cache(maxsize=4)
def parsed_font(path: Path) -> ParsedFont:
    """The font at `path`, parsed on first use in this process."""
    return ParsedFont.load(path)


def warm(path: str) -> None:
    """A render worker process's initializer: parse the font before the first complaint comes."""
    parsed_font(Path(path))
