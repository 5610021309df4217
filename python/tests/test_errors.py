"""Bad input raises the documented exceptions, with one-line messages."""
import numpy as np
import pytest

import grokinfo
from conftest import gaussian_pair

X, Y = gaussian_pair(200, 2, 1, 0.5, seed=0)


def one_line(e):
    msg = str(e.value)
    assert msg and "\n" not in msg
    return msg


def test_nan_and_inf():
    x = X.copy()
    x[1, 0] = np.nan
    with pytest.raises(ValueError) as e:
        grokinfo.mi(x, Y)
    assert "row 1, column 0" in one_line(e) and "NaN" in one_line(e)
    y = Y.copy()
    y[7, 0] = -np.inf
    with pytest.raises(ValueError, match="row 7, column 0"):
        grokinfo.mi(X, y)
    with pytest.raises(ValueError, match="row 1"):
        grokinfo.oinfo(x)
    with pytest.raises(ValueError, match="NaN"):
        grokinfo.entropy(x)
    with pytest.raises(ValueError, match="NaN"):
        grokinfo.mi(X, np.array([0.0] * 199 + [np.nan]), discrete_y=True)


def test_nan_message_like_cli(cli, tmp_path):
    x = X.copy()
    x[3, 1] = np.nan
    np.save(tmp_path / "x.npy", x)
    np.save(tmp_path / "y.npy", Y)
    rc, err = cli("mi", "--x", tmp_path / "x.npy", "--y", tmp_path / "y.npy", ok=False)
    assert rc != 0 and "row 3, column 1" in err
    with pytest.raises(ValueError, match="row 3, column 1"):
        grokinfo.mi(x, Y)


def test_mismatched_rows():
    with pytest.raises(ValueError) as e:
        grokinfo.mi(X, Y[:-1])
    assert "200 rows" in one_line(e) and "199" in one_line(e)
    with pytest.raises(ValueError, match="pair up"):
        grokinfo.mi(X, np.zeros(10, dtype=int), discrete_y=True)
    with pytest.raises(ValueError, match="pair up"):
        grokinfo.infoplane(X, Y, np.zeros(10, dtype=int))


def test_unknown_estimator(cli, tmp_path):
    with pytest.raises(ValueError) as e:
        grokinfo.mi(X, Y, estimator="nope")
    msg = one_line(e)
    assert "nope" in msg
    with pytest.raises(ValueError, match="nope"):
        grokinfo.entropy(X, estimator="nope")
    with pytest.raises(ValueError):
        grokinfo.oinfo(X, ties="nope")
    with pytest.raises(ValueError):
        grokinfo.mi(X, Y, compress="zip:2")


def test_k_not_below_n(cli, tmp_path):
    x, y = X[:5], Y[:5]
    with pytest.raises(ValueError) as e:
        grokinfo.mi(x, y, k=5)
    msg = one_line(e)
    assert "k = 5" in msg
    np.save(tmp_path / "x.npy", x)
    np.save(tmp_path / "y.npy", y)
    rc, err = cli("mi", "--x", tmp_path / "x.npy", "--y", tmp_path / "y.npy", "--k", 5, ok=False)
    assert rc != 0 and msg in err  # the command line prints the library's message
    with pytest.raises(ValueError):
        grokinfo.mi(X, Y, k=0)


def test_types_and_shapes():
    with pytest.raises(TypeError, match="dtype"):
        grokinfo.mi(np.array(["a", "b", "c"]), np.arange(3.0))
    with pytest.raises(TypeError):
        grokinfo.mi(X.astype(complex), Y)
    with pytest.raises(TypeError):
        grokinfo.mi(np.array([[1, None]], dtype=object), Y[:1])
    with pytest.raises(ValueError, match="3-D"):
        grokinfo.mi(np.zeros((4, 2, 2)), np.zeros(4))
    with pytest.raises(ValueError, match="2-D"):
        grokinfo.oinfo(np.zeros(10))
    with pytest.raises(ValueError, match="empty"):
        grokinfo.mi(np.zeros((0, 2)), np.zeros((0, 1)))
    with pytest.raises(TypeError):
        grokinfo.mi(X, Y, k=5.0)
    with pytest.raises(TypeError):
        grokinfo.mi(X, Y, estimator=None)
    with pytest.raises(ValueError):
        grokinfo.mi(X, Y, seed=-1)
    with pytest.raises(ValueError):
        grokinfo.mi(X, Y, rescale="yes")


def test_labels_checked():
    with pytest.raises(ValueError, match="int32"):
        grokinfo.mi(X, np.full(200, 2**31, dtype=np.int64), discrete_y=True)
    with pytest.raises(ValueError, match="int32"):
        grokinfo.mi(X, np.full(200, 2**64 - 1, dtype=np.uint64), discrete_y=True)
    with pytest.raises(ValueError, match="integers"):
        grokinfo.mi(X, np.linspace(0, 1, 200), discrete_y=True)
    with pytest.raises(ValueError, match="one column"):
        grokinfo.mi(X, np.zeros((200, 2), dtype=int), discrete_y=True)
    with pytest.raises(TypeError):
        grokinfo.mi(X, np.array(["a"] * 200), discrete_y=True)


def test_failed_estimate_is_valueerror():
    dup = np.repeat(X[:30], 7, axis=0)  # each point 7 times: kl's log of a zero k-th distance
    with pytest.raises(ValueError) as e:
        grokinfo.mi(dup, np.repeat(Y[:30], 7, axis=0), estimator="kl")
    one_line(e)
    with pytest.raises(ValueError):
        grokinfo.mi(np.ones((100, 2)), Y[:100], estimator="gauss")  # singular covariance


def test_pca_arguments():
    with pytest.raises(ValueError):
        grokinfo.pca(X, 3)
    with pytest.raises(ValueError):
        grokinfo.first_coords(X, 0)


def test_run_errors(tmp_path):
    with pytest.raises(OSError) as e:
        grokinfo.load_run(tmp_path / "missing")
    assert "missing" in one_line(e)
    (tmp_path / "notarun").mkdir()
    with pytest.raises(OSError, match="config.yaml"):
        grokinfo.load_run(tmp_path / "notarun")
    with pytest.raises(OSError):
        grokinfo.read_table(tmp_path / "none.csv")
    bad = tmp_path / "bad.csv"
    bad.write_text("step,value\n1,2\n3\n")  # a short row
    with pytest.raises(OSError) as e:
        grokinfo.read_table(bad)
    assert "bad.csv" in one_line(e)
