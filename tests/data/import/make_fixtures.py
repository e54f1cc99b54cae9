#!/usr/bin/env python3
"""make_fixtures.py — spreadsheets for the import's tests, good and bad.

Writes into OUTDIR (made if missing) files an import is given, each named
for what it is and, for the bad ones, for the status awda's reader
(src/import/table.h, awda_table_status_name) refuses it with:

  kobo.xlsx            a KoboToolbox export: sheet "registration" with
                       group-prefixed columns (household/head/name…), a
                       select_multiple answer and its split columns, a date
                       of birth as a dated number, _id/_uuid/_index; sheet
                       "member" (a repeat group) joined by _parent_index
  kobo.csv             the main sheet of the same export, ';'-separated,
                       with a byte-order mark and CRLF, as Kobo writes it
  plain.csv            a plain spreadsheet saved as CSV UTF-8
  formula.csv          a cell a spreadsheet would run (=HYPERLINK(…))
  formula.xlsx         a cell with a formula (<f>) and its cached value
  empty.csv            empty                                  -> empty
  not-a-table.pdf      a PDF                                  -> not_a_table
  not-a-table.png      a PNG                                  -> not_a_table
  random.bin           random bytes                           -> not_a_table
  not-a-workbook.zip   a zip holding no workbook (a .docx)    -> not_a_table
  cp1252.csv           Windows-1252 (line 3)                  -> bad_encoding
  mixed.csv            UTF-8 then Windows-1256 (line 4)       -> bad_encoding
  unclosed.csv         a quote never closed (line 3)          -> bad_csv
  damaged.xlsx         kobo.xlsx cut in half                  -> bad_xlsx
  laughs.xlsx          entity expansion ("billion laughs")    -> bad_xlsx
  bomb.xlsx            a sheet that inflates 1000 times       -> zip_bomb
  bomb-lying.xlsx      the same, its declared sizes lying     -> zip_bomb
  wide.csv             100,000 columns                        -> too_many_columns
  wide.xlsx            2,000 columns                          -> too_many_columns
  long-cell.csv        a cell of 5,000 bytes                  -> cell_too_long

The 2 GB file is not written here: make it sparse where it is needed
(truncate -s 2G big.csv, or os.truncate) -> too_large.

  tests/data/import/make_fixtures.py OUTDIR
"""
import io
import os
import random
import struct
import sys
import zipfile

NS = ('xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
STYLES = ('<styleSheet %s><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
          '</numFmts><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs>'
          '</styleSheet>' % NS)


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def col_name(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def excel_serial(y, m, d):
    import datetime
    return (datetime.date(y, m, d) - datetime.date(1899, 12, 30)).days


class Book:
    """A workbook of sheets of rows; a cell is str (a shared string), int or
    float (a number), ("date", y, m, d), or ("formula", text, value)."""

    def __init__(self):
        self.sheets = []
        self.strings = {}

    def sheet(self, name, rows):
        self.sheets.append((name, rows))

    def _s(self, text):
        return self.strings.setdefault(text, len(self.strings))

    def _sheet_xml(self, rows):
        out = ['<worksheet %s><sheetData>' % NS]
        for r, row in enumerate(rows, 1):
            out.append('<row r="%d">' % r)
            for c, v in enumerate(row):
                ref = "%s%d" % (col_name(c), r)
                if v is None or v == "":
                    continue
                if isinstance(v, tuple) and v[0] == "date":
                    out.append('<c r="%s" s="1"><v>%d</v></c>' % (ref, excel_serial(*v[1:])))
                elif isinstance(v, tuple) and v[0] == "formula":
                    out.append('<c r="%s"><f>%s</f><v>%s</v></c>' % (ref, esc(v[1]), v[2]))
                elif isinstance(v, (int, float)):
                    out.append('<c r="%s"><v>%s</v></c>' % (ref, repr(v)))
                else:
                    out.append('<c r="%s" t="s"><v>%d</v></c>' % (ref, self._s(v)))
            out.append('</row>')
        out.append('</sheetData></worksheet>')
        return "".join(out)

    def bytes(self, sst_override=None):
        sheets_xml = [self._sheet_xml(rows) for _, rows in self.sheets]
        wb = ['<workbook %s><workbookPr/><sheets>' % NS]
        rels = ['<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">',
                '<Relationship Id="rIdS" Type="%s/sharedStrings" Target="sharedStrings.xml"/>' % REL,
                '<Relationship Id="rIdT" Type="%s/styles" Target="styles.xml"/>' % REL]
        for i, (name, _) in enumerate(self.sheets, 1):
            wb.append('<sheet name="%s" sheetId="%d" r:id="rId%d"/>' % (esc(name), i, i))
            rels.append('<Relationship Id="rId%d" Type="%s/worksheet" Target="worksheets/sheet%d.xml"/>'
                        % (i, REL, i))
        wb.append('</sheets></workbook>')
        rels.append('</Relationships>')
        strings = sorted(self.strings, key=self.strings.get)
        sst = sst_override or ('<sst %s count="%d" uniqueCount="%d">%s</sst>' % (
            NS, len(strings), len(strings),
            "".join('<si><t xml:space="preserve">%s</t></si>' % esc(s) for s in strings)))
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("[Content_Types].xml",
                       '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
            z.writestr("_rels/.rels",
                       '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                       '<Relationship Id="rId1" Type="%s/officeDocument" Target="xl/workbook.xml"/>'
                       '</Relationships>' % REL)
            z.writestr("xl/workbook.xml", "".join(wb))
            z.writestr("xl/_rels/workbook.xml.rels", "".join(rels))
            z.writestr("xl/styles.xml", STYLES)
            z.writestr("xl/sharedStrings.xml", sst)
            for i, x in enumerate(sheets_xml, 1):
                z.writestr("xl/worksheets/sheet%d.xml" % i, x)
        return buf.getvalue()


KOBO_HEAD = ["start", "end", "household/head/name", "household/head/sex", "household/head/dob",
             "household/head/nationality", "household/needs", "household/needs/food",
             "household/needs/shelter", "household/needs/health", "household/phone",
             "_id", "_uuid", "_submission_time", "_index"]
KOBO_ROWS = [
    ["2024-03-01T10:00:00.000+00:00", "2024-03-01T10:20:00.000+00:00", "فاطمة الزهراء",
     "female", ("date", 1990, 5, 17), "MAR", "food shelter", 1, 1, 0, "+212 600 123 456",
     101, "6f1c2a9e-0001", "2024-03-01T10:21:00", 1],
    ["2024-03-02T09:00:00.000+00:00", "2024-03-02T09:15:00.000+00:00", "Mamadou Traoré",
     "male", ("date", 1985, 1, 3), "MLI", "health", 0, 0, 1, "+223 76 12 34 56",
     102, "6f1c2a9e-0002", "2024-03-02T09:16:00", 2],
]
MEMBER_HEAD = ["household/member/name", "household/member/sex", "household/member/age",
               "_index", "_parent_table_name", "_parent_index", "_submission__id"]
MEMBER_ROWS = [
    ["Aïcha", "female", 9, 1, "registration", 1, 101],
    ["Omar", "male", 6, 2, "registration", 1, 101],
    ["Awa Traoré", "female", 12, 3, "registration", 2, 102],
]


def csv_cell(v, sep):
    if isinstance(v, tuple):
        v = "%04d-%02d-%02d" % v[1:] if v[0] == "date" else v[1]
    s = str(v)
    if any(ch in s for ch in (sep, '"', "\n", "\r")):
        s = '"' + s.replace('"', '""') + '"'
    return s


def csv_text(rows, sep=",", eol="\n"):
    return eol.join(sep.join(csv_cell(v, sep) for v in row) for row in rows) + eol


def lie_sizes(data, member, size):
    """The member's uncompressed size, in its local header and the central
    directory, set to size."""
    b = bytearray(data)
    name = member.encode()
    n = 0
    i = b.find(b"PK\x03\x04")
    while i >= 0:
        if b[i + 30:i + 30 + len(name)] == name:
            struct.pack_into("<I", b, i + 22, size)
            n += 1
        i = b.find(b"PK\x03\x04", i + 4)
    i = b.find(b"PK\x01\x02")
    while i >= 0:
        if b[i + 46:i + 46 + len(name)] == name:
            struct.pack_into("<I", b, i + 24, size)
            n += 1
        i = b.find(b"PK\x01\x02", i + 4)
    assert n == 2, n
    return bytes(b)


def main(out):
    os.makedirs(out, exist_ok=True)

    def write(name, data):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode("utf-8"))

    kobo = Book()
    kobo.sheet("registration", [KOBO_HEAD] + KOBO_ROWS)
    kobo.sheet("member", [MEMBER_HEAD] + MEMBER_ROWS)
    kobo_bytes = kobo.bytes()
    write("kobo.xlsx", kobo_bytes)
    write("kobo.csv", b"\xef\xbb\xbf" + csv_text([KOBO_HEAD] + KOBO_ROWS, ";", "\r\n").encode())
    write("plain.csv", csv_text([
        ["family_name", "given_names", "sex", "date_of_birth", "nationality", "comment"],
        ["Konaté", "Awa", "f", "1992-07-04", "GIN", 'said "see you"'],
        ["بن علي", "محمد", "ذكر", "1988-11-30", "TUN", "two\nlines"],
    ]))
    write("formula.csv", csv_text([["name", "link"], ["Awa", '=HYPERLINK("http://example.org","x")']]))
    f = Book()
    f.sheet("S", [["name", "total"], ["Awa", ("formula", "1+1", 2)]])
    write("formula.xlsx", f.bytes())

    write("empty.csv", b"")
    write("not-a-table.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    write("not-a-table.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06")
    rnd = random.Random(13)
    write("random.bin", bytes(rnd.randrange(256) for _ in range(4096)))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", "<w:document/>")
    write("not-a-workbook.zip", buf.getvalue())

    write("cp1252.csv", "name,town\nAwa,Bamako\nKonaté,Ségou\n".encode("cp1252"))
    write("mixed.csv", "name\nTraoré\nفاطمة\n".encode() + "محمد\n".encode("cp1256"))
    write("unclosed.csv", 'a,b\n1,2\n"never closed,3\n4,5\n')
    write("damaged.xlsx", kobo_bytes[: len(kobo_bytes) // 2])

    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + "".join('<!ENTITY lol%d "%s">' % (i, ("&lol%s;" % (i - 1 if i > 2 else "")) * 10)
                        for i in range(2, 10))
              + ']><sst %s><si><t>&lol9;</t></si></sst>' % NS)
    write("laughs.xlsx", kobo.bytes(sst_override=laughs))

    size = 20 * 1024 * 1024
    sheet = "<worksheet><sheetData>" + " " * (size - 46) + "</sheetData></worksheet>"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml",
                   '<workbook %s><sheets><sheet name="S" r:id="r1"/></sheets></workbook>' % NS)
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<Relationships><Relationship Id="r1" Type="%s/worksheet" Target="s.xml"/>'
                   '</Relationships>' % REL)
        z.writestr("xl/s.xml", sheet)
        comp = z.getinfo("xl/s.xml").compress_size
    bomb = buf.getvalue()
    write("bomb.xlsx", bomb)
    write("bomb-lying.xlsx", lie_sizes(bomb, "xl/s.xml", comp * 2))

    write("wide.csv", ",".join("c%d" % i for i in range(100000)) + "\n1\n")
    w = Book()
    w.sheet("wide", [["c%d" % i for i in range(2000)], list(range(2000))])
    write("wide.xlsx", w.bytes())
    write("long-cell.csv", "a,b\n1," + "x" * 5000 + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
