import pytest
from churn.features import build_features


def test_features_have_tenure() -> None:
    pytest.importorskip("pandas")
    assert build_features is not None
