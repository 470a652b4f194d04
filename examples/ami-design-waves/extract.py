#!/usr/bin/env python3
"""Make transcripts/ from the AMI corpus as packaged by QMSum (see README.md).

Usage: python3 extract.py ../../../shared/corpora/meetings-ami-icsi/Product
"""
import json
import re
import sys
from pathlib import Path

# Document, meeting, first and last turn (0-based, end exclusive) of the QMSum file.
PARTS = [
    ("es2002-w1", "ES2002a", 177, 215),
    ("es2002-w2", "ES2002d", 593, 645),
    ("es2003-w1", "ES2003a", 62, 106),
    ("es2003-w2", "ES2003d", 441, 487),
]

source = Path(sys.argv[1])
out = Path(__file__).parent / "transcripts"
out.mkdir(exist_ok=True)
for document, meeting, first, end in PARTS:
    meeting_turns = json.loads((source / f"{meeting}.json").read_text())["meeting_transcripts"][first:end]
    turns = []
    for t in meeting_turns:
        text = re.sub(r"\{(vocalsound|gap|disfmarker|comment|nonvocalsound)\}", "", t["content"])
        text = re.sub(r"\s+", " ", text).strip()
        text = re.sub(r" ([,.?!])", r"\1", text).strip(" ,")
        if len(text.split()) < 4:
            continue  # backchannels ("Mm-hmm.", "Yeah.")
        if turns and turns[-1][0] == t["speaker"]:
            turns[-1][1] += " " + text
        else:
            turns.append([t["speaker"], text])
    (out / f"{document}.txt").write_text("\n\n".join(f"{s}: {x}" for s, x in turns) + "\n")
