"""One exercise with photos: the corpus puts an image beside it (tests/adversarial)."""

from pathlib import Path

from rxprint.api import hookimpl

HERE = Path(__file__).parent


@hookimpl
def register_exercises(register):
    register(HERE / "photo-exercises")
