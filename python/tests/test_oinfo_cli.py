"""grokinfo.oinfo equals `grokinfo oinfo-npy --json` bit for bit on the same arrays."""
import numpy as np
import pytest

import grokinfo
from conftest import relu_acts

ACTS = relu_acts(500, 48, seed=3)


def same(a, b):
    """equal bits, NaN equal to NaN (the CLI prints NaN for a pass with fewer than two clusters)"""
    return a == b or (a != a and b != b)


def compare(cli, tmp_path, acts, **kw):
    ap, lp = tmp_path / "a.npy", tmp_path / "labels.txt"
    np.save(ap, np.ascontiguousarray(acts))
    args = ["oinfo-npy", "--acts", ap, "--json", "--labels", lp]
    for key, flag in (("clusters", "--clusters"), ("greedy_max", "--greedy-max"), ("ties", "--ties"),
                      ("seed", "--seed"), ("step", "--step"), ("layer", "--layer")):
        if key in kw:
            args += [flag, kw[key]]
    if kw.get("bias_correct"):
        args.append("--bias-correct")
    j = cli(*args)
    r = grokinfo.oinfo(acts, **kw)
    assert same(r.synergy, j["synergy"]) and same(r.redundancy, j["redundancy"]), (r, j)
    assert (r.size_synergy, r.size_redundancy) == (j["size_min"], j["size_max"])
    assert same(r.tc, j["tc_min"]) and same(r.dtc, j["dtc_min"])
    assert (r.n, r.m, r.n_dead, r.n_clusters, r.n_sets, r.n_singular) == (
        j["n_samples"], j["n_neurons"], j["dead"], j["clusters"], j["sets"], j["singular"])
    assert j["ties"] == kw.get("ties", "index")
    if kw.get("greedy_max"):
        assert (r.greedy_omega, len(r.greedy_set)) == (j["greedy_omega"], j["greedy_size"])
    else:
        assert r.greedy_omega is None and r.greedy_set is None and j["greedy_size"] == 0
    labels = np.loadtxt(lp, dtype=np.int64, ndmin=1)
    assert np.array_equal(r.cluster_of, labels)
    # the sets from the cluster masks agree with the sizes and the clusters
    assert len(r.synergy_set) == r.size_synergy and len(r.redundancy_set) == r.size_redundancy
    assert r.n_live + r.n_dead == r.m and np.count_nonzero(r.cluster_of) == r.n_live
    for s, mask in ((r.synergy_set, r.clusters_synergy), (r.redundancy_set, r.clusters_redundancy)):
        assert all(r.cluster_of[i] >= 1 and mask >> (r.cluster_of[i] - 1) & 1 for i in s)
        assert sorted(set(r.cluster_of[s])) == [c for c in range(1, r.n_clusters + 1) if mask >> (c - 1) & 1]
    return r, j


def test_index_ties(cli, tmp_path):
    r, _ = compare(cli, tmp_path, ACTS)
    assert r.n_dead == 3 and r.n_clusters == 10 and r.n_sets == 1013
    assert r.synergy <= r.redundancy


def test_random_ties(cli, tmp_path):
    a, _ = compare(cli, tmp_path, ACTS, ties="random")
    b, _ = compare(cli, tmp_path, ACTS, ties="random", seed=5, step=1200, layer=2)
    assert a.synergy != b.synergy  # another key, another permutation of the tied zeros
    compare(cli, tmp_path, ACTS, ties="random", seed=-3, step=7, layer=1)  # negative seeds wrap as uint64


def test_average_ties_and_options(cli, tmp_path):
    compare(cli, tmp_path, ACTS, ties="average")
    compare(cli, tmp_path, ACTS, clusters=5, bias_correct=True)
    r, _ = compare(cli, tmp_path, ACTS[:, :20], greedy_max=6, clusters=4)
    assert 0 < len(r.greedy_set) <= 6 and set(r.greedy_set) <= set(range(20))


def test_float32_fortran(cli, tmp_path):
    a32 = ACTS.astype(np.float32)
    r, _ = compare(cli, tmp_path, a32)
    f, _ = compare(cli, tmp_path, np.asfortranarray(a32))
    assert r == f


def test_few_clusters(cli, tmp_path):
    # fewer live neurons than clusters; a single live neuron: no set, NaN as the CLI prints it
    r, _ = compare(cli, tmp_path, ACTS[:, :7], clusters=10)
    assert r.n_live == 4 and 2 <= r.n_clusters <= 4
    one = np.zeros((100, 4))
    one[:, 3] = np.random.default_rng(0).standard_normal(100)
    r, _ = compare(cli, tmp_path, one, clusters=3)
    assert np.isnan(r.synergy) and r.n_sets == 0 and len(r.synergy_set) == 0
    assert list(r.cluster_of) == [0, 0, 0, 1]
