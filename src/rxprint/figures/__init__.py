"""Exercise pictures drawn from pose descriptions.

- :mod:`.body`: the figure model (proportions, joints and limits, base postures, target
  areas) and its forward kinematics;
- :mod:`.props`: props and where they go;
- :mod:`.spec`: a picture described by poses, as data (the library checks the
  ``[picture]`` table into it);
- :mod:`.scene`: a picture as 2D shapes (posed, supported, projected, highlighted);
- :mod:`.png`: the PNG writer (Pillow); the PDF one is :mod:`rxprint.render.drawings`.

A leaf: nothing here imports the rest of rxprint. Importing the package imports none of
these (checking a ``[picture]`` table needs :mod:`.spec`, not the drawing code):
``Picture``, ``Scene`` and ``compose`` are looked up on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rxprint.figures.scene import Scene, compose
    from rxprint.figures.spec import Picture

__all__ = ["Picture", "Scene", "compose"]


def __getattr__(name: str) -> Any:
    if name in ("Scene", "compose"):
        from rxprint.figures import scene

        return getattr(scene, name)
    if name == "Picture":
        from rxprint.figures.spec import Picture

        return Picture
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
