import pytest


@pytest.fixture(autouse=True)
def _empty_cache():
    """The ranking is cached; each test starts without cached rows."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
