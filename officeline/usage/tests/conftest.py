import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Recordings are written under a throwaway media root."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
