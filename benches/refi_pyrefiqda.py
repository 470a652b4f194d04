"""The peer of `thema import-project` in BENCHMARKS.md: pyrefiqda loads a .qdpx into its models.

Usage: python3 benches/refi_pyrefiqda.py PROJECT.qdpx EXTRACT_DIR (needs `pip install pyrefiqda`)
"""

import sys, shutil
from pyrefiqda import RefiProject
p = RefiProject.load(sys.argv[1], extract_dir=sys.argv[2])
n = sum(len(s.plain_text_selection) for s in p.sources.text_source)
print(len(p.sources.text_source), n)
shutil.rmtree(sys.argv[2])
