#!/usr/bin/env python3
"""Load prepared qc codes files into a qc project, as `qc code CODER` does when the editor closes.

    qc_code.py SETTINGS CODES_DIR

CODES_DIR holds CODER/DOCUMENT.codes files in qc's own codes-file format: one line for each line
of the corpus document, holding that line's codes separated by commas. For each file this runs
what `qc code` runs after the coder saves the codes file (qualitative_coding/views/viewer.py,
`open_editor`): `QCCorpusViewer.parse_codes` on its text, then `QCCorpus.update_coded_lines` in a
session. qc has no bulk loader and no auto-coding; this is its own path for codings made outside
it, without the editor.
"""

import os
import sys
from pathlib import Path

from qualitative_coding.corpus import QCCorpus
from qualitative_coding.views.viewer import QCCorpusViewer


def main(settings, codes_dir):
    corpus = QCCorpus(settings)
    viewer = QCCorpusViewer(corpus)
    loaded = 0
    for coder in sorted(os.listdir(codes_dir)):
        for name in sorted(os.listdir(Path(codes_dir) / coder)):
            doc = name[: -len(".codes")] + ".txt"
            text = (Path(codes_dir) / coder / name).read_text()
            length = len((corpus.corpus_dir / doc).read_text().splitlines())
            coded_lines = viewer.parse_codes(coder, text, length)
            with corpus.session():
                corpus.update_coded_lines(doc, coder, coded_lines)
            loaded += len(coded_lines)
    print(f"loaded {loaded} coded lines")


if __name__ == "__main__":
    main(*sys.argv[1:])
