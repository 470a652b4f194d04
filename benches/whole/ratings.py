#!/usr/bin/env python3
"""The agreement comparison of `benches/whole/run`.

ratings.py write FILE   writes 1,000,000 units x 4 coders (values 1 to 5, 10% of cells empty,
                        coders agreeing with a unit's true value 70% of the time; seeded) as CSV
                        with a first column `unit`.
ratings.py alpha FILE   prints nominal Krippendorff's alpha of FILE, read with pyarrow, by the
                        python `krippendorff` package: what a user of python runs.
"""
import sys


def write(path):
    import random

    rng = random.Random(7)
    with open(path, "w") as f:
        f.write("unit,c1,c2,c3,c4\n")
        for u in range(1_000_000):
            truth = rng.randint(1, 5)
            cells = []
            for _ in range(4):
                if rng.random() < 0.1:
                    cells.append("")
                elif rng.random() < 0.7:
                    cells.append(str(truth))
                else:
                    cells.append(str(rng.randint(1, 5)))
            f.write(f"{u},{','.join(cells)}\n")


def alpha(path):
    import krippendorff
    import numpy as np
    import pyarrow.csv as pc

    table = pc.read_csv(path)
    data = np.array([table.column(c).to_numpy(zero_copy_only=False) for c in table.column_names[1:]], dtype=float)
    print(f"{krippendorff.alpha(reliability_data=data, level_of_measurement='nominal'):.17g}")


if __name__ == "__main__":
    {"write": write, "alpha": alpha}[sys.argv[1]](sys.argv[2])
