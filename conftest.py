import pytest

from apps.core.testing import make_world


@pytest.fixture
def world(db):
    return make_world()
