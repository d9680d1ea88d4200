"""Exercise pictures drawn from pose descriptions.

- :mod:`.body`: the figure model (proportions, joints and limits, base postures, target
  areas) and its forward kinematics;
- :mod:`.props`: props and where they go;
- :mod:`.spec`: a picture described by poses, as data (the library checks the
  ``[picture]`` table into it);
- :mod:`.scene`: a picture as 2D shapes (posed, supported, projected, highlighted);
- :mod:`.png`: the PNG writer (Pillow); the PDF one is :mod:`rxprint.render.drawings`.

A leaf: nothing here imports the rest of rxprint.
"""

from rxprint.figures.scene import Scene, compose
from rxprint.figures.spec import Picture

__all__ = ["Picture", "Scene", "compose"]
