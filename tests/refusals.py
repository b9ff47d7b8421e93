"""``refused(code)``: expect a block to raise ``Refused`` with that code."""

from contextlib import contextmanager

import pytest

from clinic.transitions import Refused


@contextmanager
def refused(code):
    with pytest.raises(Refused) as info:
        yield info
    assert info.value.code == code, f"refused with {info.value.code!r}, not {code!r}"
