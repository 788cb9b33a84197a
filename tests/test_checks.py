"""lecture7.check, the exercises' test: a right answer passes with a ✓ line, a wrong one fails with a message
that names the value, what was expected and what came."""
import numpy as np
import pytest

import lecture7


def test_a_right_answer_prints_its_value(capsys):
    lecture7.check("dW", [[1, 2], [3, 4.0000001]], np.array([[1.0, 2.0], [3.0, 4.0]]))
    lecture7.check("z", 4, 4.0)
    assert capsys.readouterr().out == "✓ dW = [[1.0000, 2.0000], [3.0000, 4.0000]]\n✓ z = 4.0000\n"


@pytest.mark.parametrize("got, message", [
    (None, "z: expected [1.0000, 2.0000], got None (does your code `return` its result?)"),
    ("1, 2", "z: expected numbers [1.0000, 2.0000], got str '1, 2'"),
    ([[1, 2]], "z: expected shape (2,), [1.0000, 2.0000]; got shape (1, 2), [[1.0000, 2.0000]]"),
    ([1, np.nan], "z: expected [1.0000, 2.0000], got [1.0000,    nan] (tolerance 1e-06)"),
    ([1, 2.001], "z: expected [1.0000, 2.0000], got [1.0000, 2.0010] (tolerance 1e-06)"),
])
def test_a_wrong_answer_names_the_value_what_was_expected_and_what_came(got, message):
    with pytest.raises(AssertionError) as failure:
        lecture7.check("z", got, [1.0, 2.0])
    assert str(failure.value) == message


def test_the_tolerance_is_absolute_and_can_be_widened():
    lecture7.check("dz_dx", 1.28345, 1.2834, atol=1e-4)
    with pytest.raises(AssertionError, match="tolerance 1e-06"):
        lecture7.check("dz_dx", 1.28345, 1.2834)


@pytest.mark.parametrize("atol", [-1e-6, "1e-6", None])
def test_a_bad_tolerance_is_a_value_error(atol):
    with pytest.raises(ValueError, match=f"atol must be a number >= 0; got {atol!r}"):
        lecture7.check("z", 1.0, 1.0, atol=atol)
