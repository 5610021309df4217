"""The ctypes structs have the header's sizes and offsets (compiled with cc when there is one)."""
import ctypes
import os
import shutil
import subprocess

import pytest

from grokinfo import _lib as L

HEADER_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "include")
STRUCTS = {"grokinfo_error": L.Error, "grokinfo_mi_options": L.MIOptions, "grokinfo_mi_result": L.MIResult,
           "grokinfo_entropy_result": L.EntropyResult, "grokinfo_oinfo_options": L.OInfoOptions,
           "grokinfo_oinfo_result": L.OInfoResult, "grokinfo_plane_options": L.PlaneOptions,
           "grokinfo_plane_point": L.PlanePoint}


def test_struct_layout(tmp_path):
    cc = shutil.which("cc") or shutil.which("gcc")
    if not cc or not os.path.exists(os.path.join(HEADER_DIR, "grokinfo.h")):
        pytest.skip("no C compiler or include/grokinfo.h")
    src = ["#include <stdio.h>", "#include <stddef.h>", '#include "grokinfo.h"', "int main(void) {",
           f'printf("API %d\\n", GROKINFO_API_VERSION);', f'printf("ERRLEN %d\\n", GROKINFO_ERRLEN);']
    want = [f"API {L.API_VERSION}", f"ERRLEN {L.ERRLEN}"]
    for cname, S in STRUCTS.items():
        src.append(f'printf("{cname} %zu\\n", sizeof({cname}));')
        want.append(f"{cname} {ctypes.sizeof(S)}")
        for f, _ in S._fields_:
            src.append(f'printf("{cname}.{f} %zu\\n", offsetof({cname}, {f}));')
            want.append(f"{cname}.{f} {getattr(S, f).offset}")
    src.append("return 0; }")
    (tmp_path / "layout.c").write_text("\n".join(src))
    subprocess.run([cc, "-I", HEADER_DIR, str(tmp_path / "layout.c"), "-o", str(tmp_path / "layout")], check=True)
    got = subprocess.run([str(tmp_path / "layout")], capture_output=True, text=True, check=True).stdout.split("\n")
    assert got[:-1] == want
