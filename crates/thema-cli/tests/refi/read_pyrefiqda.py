"""Read a .qdpx with pyrefiqda (an independent REFI-QDA reader, xsdata models generated from the
standard's schema) and print what it found as JSON, for crates/thema-cli/tests/refi.rs.

Usage: python3 read_pyrefiqda.py PROJECT.qdpx EXTRACT_DIR
"""

import json
import sys
from pathlib import Path

from pyrefiqda import RefiProject

project = RefiProject.load(sys.argv[1], extract_dir=sys.argv[2])


def walk(codes, depth=0):
    for code in codes:
        yield code, depth
        yield from walk(code.code, depth + 1)


codes = list(walk(project.code_book.codes.code)) if project.code_book else []
sources = project.sources.text_source if project.sources else []
out = {
    "name": project.name,
    "origin": project.origin,
    "users": sorted(u.name for u in project.users.user) if project.users else [],
    "codes": len(codes),
    "non_codable": sorted(c.name for c, _ in codes if not c.is_codable),
    "nested": sum(1 for _, d in codes if d > 0),
    "sources": [],
    "cases": [],
    "notes": len(project.notes.note) if project.notes else 0,
    "links": len(project.links.link) if project.links else 0,
    "sets": sorted(s.name for s in project.sets.set) if project.sets else [],
}
code_names = {c.guid: c.name for c, _ in codes}
for s in sources:
    path = s.plain_text_path.replace("internal://", "")
    text = (Path(sys.argv[2]) / "sources" / path).read_text(encoding="utf-8")
    quotes = []
    for sel in s.plain_text_selection:
        for coding in sel.coding:
            quotes.append(
                {
                    "code": code_names[coding.code_ref.target_guid],
                    "text": text[sel.start_position : sel.end_position],
                }
            )
    out["sources"].append({"name": s.name, "chars": len(text), "codings": quotes})
for case in project.cases.case if project.cases else []:
    out["cases"].append({"name": case.name, "selections": len(case.selection_ref), "variables": len(case.variable_value)})
print(json.dumps(out, ensure_ascii=False))
