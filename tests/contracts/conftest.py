import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Rendered documents go to a temporary folder, not the shared media folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
