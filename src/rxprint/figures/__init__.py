"""Exercise pictures drawn from pose descriptions.

- :mod:`.body`: the figure model (proportions, joints and limits, base postures, target
  areas) and its forward kinematics;
- :mod:`.props`: props and where they go;
- :mod:`.spec`: the ``[picture]`` table, checked;
- :mod:`.scene`: a picture as 2D shapes (posed, supported, projected, highlighted);
- :mod:`.pdf` and :mod:`.png`: the two backends (ReportLab vector drawing, Pillow PNG).
"""

from .scene import Scene, compose
from .spec import Picture, parse_picture

__all__ = ["Picture", "Scene", "compose", "parse_picture"]
