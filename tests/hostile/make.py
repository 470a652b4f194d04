#!/usr/bin/env python3
"""Writes the committed files of tests/hostile/ (run from anywhere: python3 tests/hostile/make.py).

Every file is small and made here from literals, so the corpus can be checked and remade; what
each must do is in cases.toml. Large inputs (100 MB lines, many-entry zips, 100,000-level
nesting) are made by the test itself, not committed."""
import io, os, struct, zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
WHEN = (2024, 1, 1, 0, 0, 0)

def write(name, data):
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)

def zipped(entries, method=zipfile.ZIP_DEFLATED):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name, WHEN)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else method
            z.writestr(info, data)
    return out.getvalue()

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
def docx_xml(body, prolog='<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'):
    return f'{prolog}<w:document {W}><w:body>{body}</w:body></w:document>'
def para(text, rtl=False):
    ppr = "<w:pPr><w:bidi/></w:pPr>" if rtl else ""
    rpr = "<w:rPr><w:rtl/></w:rPr>" if rtl else ""
    return f"<w:p>{ppr}<w:r>{rpr}<w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>"
CT = ('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
def docx(body_xml, extra=()):
    return zipped([CT, ("word/document.xml", body_xml), *extra])

GOOD_DOCX = docx(docx_xml(para("Interviewer: How did it start?") + para("Simon: With a letter from my sister.")
                          + para("Interviewer: And then?") + para("Simon: Then I called the programme.")))
O = 'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
def odt(content, mimetype="application/vnd.oasis.opendocument.text"):
    return zipped([("mimetype", mimetype), ("content.xml", content)])
GOOD_ODT = odt(f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {O}><office:body><office:text>'
               '<text:p>Interviewer: How did it start?</text:p><text:p>Simon: With a letter.</text:p>'
               '</office:text></office:body></office:document-content>')
LAUGHS_DTD = ('<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
              + "".join(f'<!ENTITY lol{i} "{"".join(f"&lol{i-1};" for _ in range(10))}">' for i in range(2, 10)) + ']>\n')
XXE_DTD = '<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'

def qde(body, origin="NVivo 14"):
    return f'<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="urn:QDA-XML:project:1.0" name="hostile" origin="{origin}">\n{body}</Project>\n'
SOURCE = "eeeeeeee-0000-4000-8000-000000000001"
def text_source(path, selections=""):
    return f'<Sources>\n<TextSource guid="{SOURCE}" name="int1.txt" plainTextPath="{path}">{selections}</TextSource>\n</Sources>\n'
GOOD_QDE = qde(text_source(f"internal://{SOURCE}.txt"))
GOOD_QDPX = zipped([("project.qde", GOOD_QDE), (f"sources/{SOURCE}.txt", "Interviewer: What helped?\r\n\r\nSimon: Seeing somebody who made it.\r\n")])
def qdc(codes, prolog='<?xml version="1.0" encoding="utf-8"?>\n'):
    return f'{prolog}<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="hostile">\n<Codes>\n{codes}</Codes>\n</CodeBook>\n'
def code(n, name, inner=""):
    return f'<Code guid="aaaaaaaa-0000-4000-8000-{n:012d}" name="{name}" isCodable="true">{inner}</Code>\n'

def lying_sizes(data, claimed):
    """Rewrite every size field of a one-entry zip to `claimed` (a header that lies)."""
    b = bytearray(data)
    local = b.find(b"PK\x03\x04")
    struct.pack_into("<II", b, local + 18, claimed, claimed)
    central = b.find(b"PK\x01\x02")
    struct.pack_into("<II", b, central + 20, claimed, claimed)
    return bytes(b)

def encrypted_flag(data):
    """Set the `encrypted` bit of every entry in the local and central headers."""
    b = bytearray(data)
    for sig, off in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = b.find(sig)
        while at >= 0:
            b[at + off] |= 1
            at = b.find(sig, at + 4)
    return bytes(b)

# --- text ---------------------------------------------------------------------------------
write("empty.txt", b"")
write("blank.txt", "  \n\t\n\n")
write("bom-only.txt", b"\xef\xbb\xbf")
write("latin1.txt", b"Interviewer: How was it?\n\nParticipant: Tr\xe8s bien, merci.\n")
write("truncated-utf8.txt", b"Interviewer: Caf\xc3")
write("overlong-utf8.txt", b"Interviewer: a\xc0\xafb\n")
write("surrogate-utf8.txt", b"Interviewer: \xed\xa0\x80\n")
write("nul-bytes.txt", b"Interviewer: Hello.\n\nSimon: a\x00b\x00c\n")
write("control-chars.txt", "Interviewer: \x1b[31mred\x1b[0m and a bell\x07.\n\nSimon: back\x08space, form\x0cfeed, vertical\x0btab, del\x7f, next\u0085line.\n\nInterviewer: Thanks.\n")
write("cr-only.txt", "Interviewer: One.\rSimon: Two.\rInterviewer: Three.\r")
write("rtl-arabic.txt", "المحاورة: كيف كانت تجربتك في البرنامج؟\n\nسارة: \u200fكانت صعبة في البداية.\n\nالمحاورة: وبعد ذلك؟\n\nسارة: وجدت الأمل، والحمد لله.\n")
write("rtl-hebrew-marks.txt", "\u200fמראיין: מה שלומך היום?\n\n\u200fדנה: \u200fבסדר, תודה.\n\n\u200fמראיין: ומה עזר לך?\n\n\u200fדנה: \u2067הקבוצה\u2069 עזרה.\n")
write("rtl-mixed.md", "# ראיון 3\n\n**Interviewer:** Can you say it in Arabic?\n\n**Layla:** نعم — I said \u202bمرحبا بكم\u202c yesterday (\u2067שלום\u2069).\n\n**Interviewer:** Thank you.\n\n**Layla:** \u200eOK.\n")
write("combining-marks.txt", "Jose\u0301: Hola, \u0301qué tal.\n\nAna: \u0301x starts with a combining accent.\n\nJose\u0301: Z\u0337\u0322a\u0338l\u0336g\u0335o\u0334 👋🏽 👨‍👩‍👧.\n\nAna: Bye.\n")
body = "Interviewer: Did the 🙂 come through?\r\n\r\nSimon: Yes — café, naïve, 日本語.\r\n"
write("utf16le-bom.txt", b"\xff\xfe" + body.encode("utf-16-le"))
write("utf16be-bom.txt", b"\xfe\xff" + body.encode("utf-16-be"))
write("utf16le-no-bom.txt", body.encode("utf-16-le"))
write("utf16be-no-bom.srt", "1\r\n00:00:01,000 --> 00:00:02,500\r\nSimon: Yes, it did.\r\n\r\n2\r\n00:00:02,500 --> 00:00:04,000\r\nKim: Good.\r\n".encode("utf-16-be"))
write("utf16-odd-length.txt", b"\xff\xfe" + "Interviewer: hi".encode("utf-16-le") + b"\x00\x41\x00")
write("utf16-lone-surrogate.txt", b"\xff\xfe" + "Interviewer: ".encode("utf-16-le") + b"\x00\xd8\x41\x00")
# --- captions and JSON --------------------------------------------------------------------
write("no-header.vtt", "00:00:01.000 --> 00:00:02.000\nHello.\n")
write("huge-timestamps.srt", "1\n99999999999999999999:00:00,000 --> 99999999999999999999:00:01,000\nSimon: Hello.\n\n2\n00:00:02,000 --> 00:00:03,000\nKim: Hi.\n")
write("rtl-hebrew.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v דנה>\u200fשלום לכולם.\n\n00:00:03.000 --> 00:00:05.000\n<v יוסי>מה שלומכם?\n\n00:00:05.000 --> 00:00:07.000\n<v דנה>טוב מאוד.\n")
write("not-turns.json", '{"title": "a meeting", "turns": 3}\n')
write("huge-number.json", '[{"speaker": "A", "content": "x", "start": 1e999999}]\n')
# --- DOCX and ODT -------------------------------------------------------------------------
write("truncated-half.docx", GOOD_DOCX[: len(GOOD_DOCX) // 2])
write("truncated-header.docx", GOOD_DOCX[:30])
write("truncated-central.docx", GOOD_DOCX[:-10])
write("truncated.odt", GOOD_ODT[: len(GOOD_ODT) * 2 // 3])
write("not-a-zip-rtf.docx", "{\\rtf1\\ansi Interviewer: hello\\par}")
write("not-a-zip-doc.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 56)
write("not-a-zip-pdf.docx", "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
write("no-document.docx", zipped([CT, ("word/styles.xml", "<w:styles/>")]))
write("billion-laughs.docx", docx(docx_xml(para("&lol9;"), '<?xml version="1.0"?>\n' + LAUGHS_DTD)))
write("external-entity.docx", docx(docx_xml(para("Simon: &xxe;"), '<?xml version="1.0"?>\n' + XXE_DTD)))
write("undeclared-entity.docx", docx(docx_xml(para("Simon: &xxe;"))))
write("bomb-ratio.docx", docx(docx_xml(para("Simon: " + " " * (40 << 20)))))
write("bomb-lying-header.docx", lying_sizes(zipped([("word/document.xml", docx_xml(para("Simon: " + "a" * (40 << 20))))]), 200))
write("bomb-nested.docx", docx(zipped([("word/document.xml", docx_xml(para("x" * (8 << 20))))])))
write("encrypted.docx", encrypted_flag(GOOD_DOCX))
write("traversal.docx", zipped([CT, ("word/document.xml", docx_xml(para("Interviewer: Hello?") + para("Simon: Hi."))),
                                 ("../../thema-hostile-evil.txt", "x"), ("/tmp/thema-hostile-evil.txt", "x"),
                                 ("word/../../../thema-hostile-evil.txt", "x"), ("C:\\thema-hostile-evil.txt", "x")]))
write("invalid-utf8-xml.docx", docx(docx_xml(para("Simon: caf\xe9")).encode("latin-1")))
write("rtl.docx", docx(docx_xml(para("المحاورة: كيف حالك؟", True) + para("سارة: \u200fبخير، شكراً.", True)
                                 + para("المحاورة: وماذا ساعدك؟", True) + para("سارة: المجموعة.", True))))
write("billion-laughs.odt", odt(f'<?xml version="1.0"?>\n{LAUGHS_DTD}<office:document-content {O}><office:body><office:text><text:p>&lol9;</text:p></office:text></office:body></office:document-content>'))
write("wrong-mimetype.odt", odt(f'<office:document-content {O}/>', "application/vnd.oasis.opendocument.spreadsheet"))
# --- REFI-QDA codebooks -------------------------------------------------------------------
write("billion-laughs.qdc", '<?xml version="1.0"?>\n' + LAUGHS_DTD + '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>' + code(1, "&lol9;") + "</Codes></CodeBook>\n")
write("external-entity.qdc", '<?xml version="1.0"?>\n' + XXE_DTD + '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>' + code(1, "&xxe;") + "</Codes></CodeBook>\n")
write("undeclared-entity.qdc", qdc(code(1, "Hope") + f'<Code guid="aaaaaaaa-0000-4000-8000-000000000002" name="x"><Description>&xxe;</Description></Code>\n'))
write("truncated.qdc", qdc(code(1, "Hope") + code(2, "Stigma"))[:150])
write("invalid-utf8.qdc", qdc(code(1, "Caf\xe9")).encode("latin-1"))
write("nul.qdc", qdc(code(1, "Hope")).replace("Hope", "Ho\x00pe"))
write("utf16.qdc", b"\xff\xfe" + qdc(code(1, "Hope 🙂"), '<?xml version="1.0" encoding="utf-16"?>\n').encode("utf-16-le"))
nested = ""
for n in range(200, 0, -1):
    nested = code(n, f"Level {n}", nested)
write("nested-200-codes.qdc", qdc(nested))
write("rtl.qdc", qdc(code(1, "أمل", code(2, "\u200fتقبّل")) + code(3, "תקווה")))
# --- REFI-QDA projects --------------------------------------------------------------------
write("truncated.qdpx", GOOD_QDPX[: len(GOOD_QDPX) // 2])
for name, entry in [("traversal-dotdot", "../../thema-hostile-evil.txt"), ("traversal-absolute", "/tmp/thema-hostile-evil.txt"),
                    ("traversal-drive", "C:/thema-hostile-evil.txt"), ("traversal-backslash", "sources\\..\\..\\thema-hostile-evil.txt")]:
    write(f"{name}.qdpx", zipped([("project.qde", GOOD_QDE), (f"sources/{SOURCE}.txt", "Simon: hi\n"), (entry, "x")]))
write("billion-laughs.qdpx", zipped([("project.qde", '<?xml version="1.0"?>\n' + LAUGHS_DTD + '<Project xmlns="urn:QDA-XML:project:1.0" name="&lol9;"/>\n')]))
write("external-entity.qdpx", zipped([("project.qde", '<?xml version="1.0"?>\n' + XXE_DTD + '<Project xmlns="urn:QDA-XML:project:1.0" name="x"><Description>&xxe;</Description></Project>\n')]))
write("bomb-ratio.qdpx", zipped([("project.qde", GOOD_QDE + " " * (40 << 20))]))
write("bomb-source.qdpx", zipped([("project.qde", GOOD_QDE), (f"sources/{SOURCE}.txt", "Simon: " + "a" * (40 << 20))]))
bomb_docx = docx(docx_xml(para("Simon: " + " " * (40 << 20))))
write("bomb-docx-source.qdpx", zipped([("project.qde", qde(f'<Sources>\n<TextSource guid="{SOURCE}" name="int1.docx" richTextPath="internal://{SOURCE}.docx"/>\n</Sources>\n')),
                                        (f"sources/{SOURCE}.docx", bomb_docx)]))
write("source-outside.qdpx", zipped([("project.qde", qde(text_source("absolute:///etc/passwd") + '<Sources/>\n' if False else
    f'<Sources>\n<TextSource guid="{SOURCE}" name="passwd" plainTextPath="absolute:///etc/passwd"/>\n'
    f'<TextSource guid="eeeeeeee-0000-4000-8000-000000000002" name="up" plainTextPath="internal://../../../etc/passwd"/>\n'
    f'<TextSource guid="eeeeeeee-0000-4000-8000-000000000003" name="int1.txt" plainTextPath="internal://{SOURCE}.txt"/>\n</Sources>\n')),
    (f"sources/{SOURCE}.txt", "Interviewer: What helped?\n\nSimon: Seeing somebody.\n")]))
write("source-invalid-utf8.qdpx", zipped([("project.qde", GOOD_QDE), (f"sources/{SOURCE}.txt", b"Simon: caf\xe9\n")]))
rtl_text = "המראיינת: מה עזר לך?\r\n\r\nדנה: 👋🏽 הקבוצה עזרה לי מאוד.\r\n"
start = rtl_text.index("הקבוצה")
u16 = lambda s: len(s.encode("utf-16-le")) // 2
sel = (f'<PlainTextSelection guid="ffffffff-0000-4000-8000-000000000001" startPosition="{u16(rtl_text[:start])}" endPosition="{u16(rtl_text[:start + 6])}">'
       '<Coding guid="ffffffff-0000-4000-8000-000000000002"><CodeRef targetGUID="aaaaaaaa-0000-4000-8000-000000000001"/></Coding></PlainTextSelection>')
write("rtl.qdpx", zipped([("project.qde", qde('<CodeBook><Codes>' + code(1, "קבוצה") + '</Codes></CodeBook>\n' + text_source(f"internal://{SOURCE}.txt", sel))),
                          (f"sources/{SOURCE}.txt", rtl_text)]))
