"""Make the clinic's logo and exercise photos (drawn with Pillow, nothing downloaded).

    python -m rxprint_riverside_pt.make_assets

The files it writes are committed, so installing the plugin needs no step. One photo is
stored sideways with an EXIF orientation tag and carries GPS tags, as a phone camera
would: rxprint must turn it upright and must not carry the GPS data into a handout.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).parent
INK = (22, 74, 96)
WATER = (64, 151, 176)


def logo() -> Image.Image:
    """A transparent PNG: a river wave in a circle, and three bars."""
    image = Image.new("RGBA", (600, 200), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((10, 10, 190, 190), fill=(*WATER, 255))
    for offset in (60, 100, 140):
        draw.arc((30, offset - 40, 170, offset + 40), 200, 340, fill=(255, 255, 255, 255),
                 width=12)
    for i, width in enumerate((360, 300, 240)):
        draw.rounded_rectangle((220, 40 + i * 45, 220 + width, 70 + i * 45), 10,
                               fill=(*INK, 255))
    return image


def _scene(draw: ImageDraw.ImageDraw, w: int, h: int) -> None:
    draw.rectangle((0, int(h * 0.78), w, h), fill=(205, 190, 170))  # floor
    draw.rectangle((0, 0, w, int(h * 0.78)), fill=(236, 240, 242))  # wall


def step_up_photo() -> Image.Image:
    """A person stepping onto a step (a simple drawing standing in for a photo)."""
    w, h = 1600, 1200
    image = Image.new("RGB", (w, h))
    draw = ImageDraw.Draw(image)
    _scene(draw, w, h)
    draw.rectangle((850, 800, 1350, 940), fill=(120, 90, 60))  # the step
    body = (40, 40, 40)
    draw.ellipse((560, 140, 700, 280), fill=body)  # head
    draw.line((630, 280, 640, 600), fill=body, width=40)  # trunk
    draw.line((640, 600, 900, 640), fill=body, width=36)  # front thigh
    draw.line((900, 640, 930, 800), fill=body, width=32)  # front shin, foot on step
    draw.line((640, 600, 600, 820), fill=body, width=36)  # back thigh
    draw.line((600, 820, 560, 930), fill=body, width=32)  # back shin
    draw.line((630, 330, 520, 520), fill=body, width=28)  # arm
    return image


def calf_stretch_photo() -> Image.Image:
    """A person leaning on a wall with one leg back."""
    w, h = 1600, 1200
    image = Image.new("RGB", (w, h))
    draw = ImageDraw.Draw(image)
    _scene(draw, w, h)
    draw.rectangle((1300, 0, 1600, int(h * 0.78)), fill=(190, 200, 205))  # the wall
    body = (40, 40, 40)
    draw.ellipse((1010, 160, 1150, 300), fill=body)
    draw.line((1060, 300, 900, 620), fill=body, width=40)
    draw.line((1040, 360, 1300, 420), fill=body, width=28)  # arms to the wall
    draw.line((900, 620, 1050, 760), fill=body, width=36)
    draw.line((1050, 760, 1060, 930), fill=body, width=32)  # front leg bent
    draw.line((900, 620, 650, 930), fill=body, width=36)  # back leg straight
    return image


def _gps_exif(image: Image.Image, orientation: int) -> Image.Exif:
    exif = image.getexif()
    exif[0x0112] = orientation  # Orientation
    exif[0x010F] = "ExampleCam"  # Make
    gps = {1: "N", 2: (41.0, 52.0, 30.0), 3: "W", 4: (87.0, 37.0, 12.0)}
    exif[0x8825] = gps  # GPSInfo
    return exif


def main() -> None:
    (HERE / "assets").mkdir(exist_ok=True)
    (HERE / "exercises" / "photos").mkdir(parents=True, exist_ok=True)
    logo().save(HERE / "assets" / "logo.png", optimize=True)
    step_up_photo().save(HERE / "exercises" / "photos" / "step-up.jpg", quality=85)
    # Stored rotated a quarter turn, with EXIF orientation 6 ("rotate 90 CW to view")
    # and GPS tags, as a phone held upright would save it.
    sideways = calf_stretch_photo().transpose(Image.Transpose.ROTATE_90)
    sideways.save(HERE / "exercises" / "photos" / "calf-stretch.jpg", quality=85,
                  exif=_gps_exif(sideways, 6))


if __name__ == "__main__":
    main()
