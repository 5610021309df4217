#!/usr/bin/env python3
"""Golden values of the seed's MI library (mutinfo of VanessB/Information-v3, method "KL") on the
inputs of make_golden.py, for grokinfo's `wkl` (run by hand; needs Debian's python3-numpy,
python3-scipy, python3-sklearn and the library's source):
    cd tests/data/mi && PYTHONPATH=/path/to/Information-v3/source/python /usr/bin/python3 make_golden_seed.py
One `name estimator k rescale value error` a line."""
import numpy as np
from mutinfo.estimators.mutual_information import MutualInfoEstimator

lines = []
for name in ["g1x1", "g2x2", "g4x4"]:
    x, y = np.load(f"{name}_x.npy"), np.load(f"{name}_y.npy")
    for k in (1, 5, 20):
        for rescale in (True, False):
            params = {"method": "KL", "functional_params": {"k_neighbours": k}, "rescale": rescale}
            est = MutualInfoEstimator(entropy_estimator_params=params)
            est.fit(x, y)
            v, err = est.estimate(x, y)
            lines.append(f"{name} wkl {k} {int(rescale)} {v!r} {err!r}")
for name in ["cls2", "cls4"]:
    x, labels = np.load(f"{name}_x.npy"), np.load(f"{name}_labels.npy")
    for k in (5, 20):
        params = {"method": "KL", "functional_params": {"k_neighbours": k}, "rescale": True}
        est = MutualInfoEstimator(Y_is_discrete=True, entropy_estimator_params=params)
        est.fit(x, labels)
        v, err = est.estimate(x, labels)
        lines.append(f"{name} wkl-cls {k} 1 {v!r} {err!r}")
open("golden_seed.txt", "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
