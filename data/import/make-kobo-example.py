#!/usr/bin/env python3
"""make-kobo-example.py — writes kobo-household.xlsx, a small KoboToolbox
export of a household registration form (XML values, "/" as the group
separator): the main sheet holds one submission per household with the
head of household in the group household/head, the repeat group
household/member is a sheet of its own joined by _parent_index -> _index.

  python3 data/import/make-kobo-example.py [OUT.xlsx]

Only the standard library: an XLSX is a zip of XML parts; cells are
inline strings, as a KoboToolbox export writes text."""
import sys
import zipfile
from xml.sax.saxutils import escape

MAIN = "household_registration"
MAIN_COLS = ["start", "end", "today", "household/origin", "household/destination_area",
             "household/head/name", "household/head/name_latin", "household/head/sex",
             "household/head/dob", "household/head/nationality", "household/head/phone",
             "household/head/languages", "household/head/vulnerabilities",
             "_id", "_uuid", "_submission_time", "_index"]
MAIN_ROWS = [
    ["2026-11-02T09:12:00", "2026-11-02T09:31:00", "2026-11-02", "MLI", "Kayes",
     "موسى كوليبالي", "Moussa Coulibaly", "male", "1986-04-17", "MLI", "+223 76 12 34 56",
     "bm fr", "", "1001", "a1b2c3d4-0001", "2026-11-02T09:32:10", "1"],
    ["2026-11-02T10:05:00", "2026-11-02T10:20:00", "2026-11-02", "GIN", "Labé",
     "Mariama Bah", "", "female", "1995", "GIN", "", "ff fr", "single_parent",
     "1002", "a1b2c3d4-0002", "2026-11-02T10:21:44", "2"],
    ["2026-11-03T08:40:00", "2026-11-03T08:52:00", "2026-11-03", "SDN", "Khartoum",
     "آدم إبراهيم", "Adam Ibrahim", "ذكر", "1979-12-01", "SDN", "+249 91 234 5678",
     "ar", "medical_condition", "1003", "a1b2c3d4-0003", "2026-11-03T08:53:02", "3"],
]
MEMBER = "member"
MEMBER_COLS = ["household/member/name", "household/member/sex", "household/member/dob",
               "household/member/relationship", "household/member/languages",
               "household/member/vulnerabilities", "_index", "_parent_table_name",
               "_parent_index", "_submission__id"]
MEMBER_ROWS = [
    ["Awa Coulibaly", "female", "1990-08-09", "spouse", "bm", "pregnant", "1", MAIN, "1",
     "1001"],
    ["Seydou Coulibaly", "male", "2014", "son", "bm fr", "", "2", MAIN, "1", "1001"],
    ["Fanta Coulibaly", "female", "2018-02-28", "daughter", "bm", "", "3", MAIN, "1", "1001"],
    ["Alpha Bah", "male", "2020", "son", "ff", "", "4", MAIN, "2", "1002"],
    ["فاطمة آدم", "أنثى", "2011-05-05", "daughter", "ar", "", "5", MAIN, "3", "1003"],
]


def col_name(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def sheet_xml(header, rows):
    out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           '<sheetData>']
    for r, row in enumerate([header] + rows, start=1):
        out.append('<row r="%d">' % r)
        for c, v in enumerate(row):
            if v == "":
                continue
            out.append('<c r="%s%d" t="inlineStr"><is><t>%s</t></is></c>'
                       % (col_name(c), r, escape(v)))
        out.append("</row>")
    out.append("</sheetData></worksheet>")
    return "".join(out)


def write(path):
    sheets = [(MAIN, MAIN_COLS, MAIN_ROWS), (MEMBER, MEMBER_COLS, MEMBER_ROWS)]
    ct = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
          '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          '<Default Extension="xml" ContentType="application/xml"/>'
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
          + "".join('<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' % (i + 1)
                    for i in range(len(sheets)))
          + "</Types>")
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>")
    wb = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
          '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
          'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
          + "".join('<sheet name="%s" sheetId="%d" r:id="rId%d"/>' % (escape(n), i + 1, i + 1)
                    for i, (n, _, _) in enumerate(sheets))
          + "</sheets></workbook>")
    wbrels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
              + "".join('<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>' % (i + 1, i + 1)
                        for i in range(len(sheets)))
              + "</Relationships>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in (("[Content_Types].xml", ct), ("_rels/.rels", rels),
                           ("xl/workbook.xml", wb), ("xl/_rels/workbook.xml.rels", wbrels)):
            z.writestr(zipfile.ZipInfo(name, (2026, 11, 3, 9, 0, 0)), data)
        for i, (_, header, rows) in enumerate(sheets):
            z.writestr(zipfile.ZipInfo("xl/worksheets/sheet%d.xml" % (i + 1),
                                       (2026, 11, 3, 9, 0, 0)), sheet_xml(header, rows))


if __name__ == "__main__":
    write(sys.argv[1] if len(sys.argv) > 1 else
          __file__.rsplit("/", 1)[0] + "/kobo-household.xlsx")
