"""An animated GIF of a scene for slides: the paths growing over the contour map.

Drawn with Pillow straight from the engine's arrays and the landscape's cached grid (no browser,
no kaleido): the map is the page's colour scale with level lines, each run keeps its page colour,
and a header counts the steps. The cost is bounded (at most ``MAX_FRAMES`` frames of at most
``MAX_SIZE`` pixels, about a second of one core), so one request cannot tie up a worker for long.
"""

from __future__ import annotations

import io
from typing import List, Sequence, Tuple

import numpy as np
from PIL import Image, ImageDraw, ImageFont


from ui.model.compute import Run, run_scene
from ui.model.grid import surface_grid
from ui.views import palette as P
from ui.model.scene_type import Scene

MAX_FRAMES = 120
MAX_SIZE = (960, 720)
DEFAULT_FRAMES = 60
DEFAULT_SIZE = (720, 540)
FRAME_MS = 70          # about 14 frames a second
HOLD_MS = 2000         # the last frame stays up before the loop restarts
GRID_RESOLUTION = 160  # the map's grid (≤ limits.MAX_GRID), smoothed up to the image's size
LEVELS = 22            # as many level lines as the page's contour map
HEADER = 34            # pixels of title strip above the map
MAX_GHOST_POINTS = 2500  # the faint whole paths are thinned to this many points (a page scene has ≤ 2001)


def _hex(colour: str) -> Tuple[int, int, int]:
    colour = colour.lstrip("#")
    return tuple(int(colour[i:i + 2], 16) for i in (0, 2, 4))


def _font(size: int):
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, OSError):  # Pillow without FreeType: the small bitmap font still reads
        return ImageFont.load_default()


def colour_map(height: np.ndarray) -> np.ndarray:
    """(h, w) heights -> (h, w, 3) uint8 in the page's surface colour scale, low = pale."""
    lo, hi = float(np.min(height)), float(np.max(height))
    t = (height - lo) / ((hi - lo) or 1.0)
    stops = np.array([s for s, _ in P.SURFACE_SCALE])
    rgb = np.array([_hex(c) for _, c in P.SURFACE_SCALE], dtype=float)
    out = np.stack([np.interp(t, stops, rgb[:, k]) for k in range(3)], axis=-1)
    # Level lines: where the level index changes between neighbouring pixels, darken.
    level = np.floor(t * LEVELS)
    edge = np.zeros(height.shape, dtype=bool)
    edge[:, 1:] |= level[:, 1:] != level[:, :-1]
    edge[1:, :] |= level[1:, :] != level[:-1, :]
    out[edge] *= 0.78
    return out.astype(np.uint8)


def background(landscape, width: int, height: int) -> Image.Image:
    """The contour map of a landscape at (width, height), y up."""
    grid = surface_grid(landscape.name, GRID_RESOLUTION)
    field = Image.fromarray(np.ascontiguousarray(grid.height[::-1], dtype=np.float32), mode="F")
    smooth = np.asarray(field.resize((width, height), Image.Resampling.BILINEAR), dtype=np.float64)
    return Image.fromarray(colour_map(smooth), mode="RGB")


class _Frame:
    """Data -> pixel coordinates inside the map area."""

    def __init__(self, bounds, width: int, height: int, top: int):
        (self.xmin, self.xmax), (self.ymin, self.ymax) = bounds
        self.width, self.height, self.top = width, height, top

    def pixels(self, points: np.ndarray) -> np.ndarray:
        px = (points[:, 0] - self.xmin) / (self.xmax - self.xmin) * (self.width - 1)
        py = self.top + (self.ymax - points[:, 1]) / (self.ymax - self.ymin) * (self.height - 1)
        # Far-off points (a run leaving the view) are pulled in to a band around the image:
        # the line still leaves in the right direction, and Pillow gets sane coordinates.
        return np.stack((np.clip(px, -self.width, 2 * self.width),
                         np.clip(py, self.top - self.height, self.top + 2 * self.height)), axis=1)


def _thin(points: np.ndarray) -> np.ndarray:
    stride = int(np.ceil(len(points) / MAX_GHOST_POINTS))
    return points if stride <= 1 else np.concatenate([points[:-1:stride], points[-1:]])


def _line(draw, pixels: np.ndarray, colour, width: int) -> None:
    if len(pixels) >= 2:
        draw.line([tuple(p) for p in pixels], fill=colour, width=width, joint="curve")


def _dot(draw, centre, radius: int, fill, outline, width: int = 2) -> None:
    x, y = centre
    draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=fill, outline=outline, width=width)


def _tint(colour: str, amount: float = 0.4) -> str:
    """A colour mixed with white: how the page's faint (35% opaque) whole paths look on the map."""
    r, g, b = (round(255 - amount * (255 - c)) for c in _hex(colour))
    return f"#{r:02x}{g:02x}{b:02x}"


def _legend_rows(runs: Sequence[Run]) -> List[str]:
    return [run.title + ("  (diverged)" if run.diverged_at >= 0 else "") for run in runs]


def _legend_box(draw, runs: Sequence[Run], font, top: int):
    """The legend's white box and names, top left over the map; returns each swatch's rectangle."""
    if not runs:
        return []
    rows, line = _legend_rows(runs), font.size + 6 if hasattr(font, "size") else 18
    w = max(int(draw.textlength(text, font=font)) for text in rows) + 36
    draw.rectangle((8, top + 8, 8 + w, top + 14 + line * len(rows)), fill=(255, 255, 255), outline=P.GRID)
    swatches = []
    for i, text in enumerate(rows):
        y = top + 12 + i * line
        swatches.append((16, y + 4, 30, y + line - 6))
        draw.text((36, y), text, fill=P.INK, font=font)
    return swatches


def _static_layer(landscape, runs: Sequence[Run], start, box: _Frame, size, title: str):
    """Everything that does not move, in palette mode: the map, the faint whole paths, minima,
    the start, the title and the legend. Returns (image, {colour: palette index})."""
    width, height = size
    canvas = Image.new("RGB", (width, height), "#ffffff")
    canvas.paste(background(landscape, box.width, box.height), (0, box.top))
    draw = ImageDraw.Draw(canvas)
    draw.text((10, 7), title, fill=P.INK, font=_font(18))  # antialiased text, before the palette
    swatches = _legend_box(draw, runs, _font(15), box.top)
    colours = ["#ffffff", P.INK] + [r.colour for r in runs] + [_tint(r.colour) for r in runs]
    image, index = _palette_image(canvas, colours)
    draw = ImageDraw.Draw(image)
    for run in runs:
        draw.line([tuple(p) for p in box.pixels(_thin(run.params))], fill=index[_tint(run.colour)], width=2)
    for rect, run in zip(swatches, runs):
        draw.rectangle(rect, fill=index[run.colour])
    for m in box.pixels(landscape.minima) if len(landscape.minima) else []:
        _dot(draw, m, 6, index["#ffffff"], index[P.INK])
    _dot(draw, box.pixels(np.array([start], dtype=float))[0], 9, None, index[P.INK], 3)
    return image, index


def frame_steps(steps: int, frames: int) -> List[int]:
    """Evenly spaced steps, 0 and the last included, at most ``frames`` of them."""
    n = max(2, min(int(frames), MAX_FRAMES, steps + 1))
    return sorted({int(round(k)) for k in np.linspace(0, steps, n)})


MAP_COLOURS = 96  # the static layer's palette; the map is smooth, so more would only cost bytes
CLEAR = 255       # the palette index left transparent: "this pixel did not change"


def _palette_image(static: Image.Image, colours: Sequence[str]) -> Tuple[Image.Image, dict]:
    """The static layer in palette mode, with the exact ``colours`` after its own palette: frames
    are then drawn straight in palette indices, with no quantizing per frame."""
    base = static.quantize(colors=MAP_COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    palette = (base.getpalette() or [])[: 3 * MAP_COLOURS]
    palette += [0] * (3 * MAP_COLOURS - len(palette))
    for colour in colours:
        palette += list(_hex(colour))
    palette += [0] * (768 - len(palette))
    base.putpalette(palette)
    return base, {c: MAP_COLOURS + i for i, c in enumerate(colours)}  # a repeated colour: its last slot


def _deltas(images: List[Image.Image]) -> List[Image.Image]:
    """Each frame after the first with the pixels it shares with the one before made transparent:
    GIF viewers keep the previous frame under it, and runs of one index compress to almost nothing."""
    out, before = [images[0]], np.asarray(images[0])
    for image in images[1:]:
        now = np.asarray(image)
        delta = np.where(now == before, CLEAR, now).astype(np.uint8)
        frame = Image.fromarray(delta, mode="P")
        frame.putpalette(image.getpalette())
        out.append(frame)
        before = now
    return out


def scene_gif(scene: Scene, frames: int = DEFAULT_FRAMES, size: Tuple[int, int] = DEFAULT_SIZE) -> bytes:
    """The GIF bytes of a (valid) scene: paths growing from the start to the last step."""
    width, height = min(int(size[0]), MAX_SIZE[0]), min(int(size[1]), MAX_SIZE[1])
    result = run_scene(scene)
    L, runs = result.landscape, result.ok_runs
    box = _Frame(L.bounds, width, height - HEADER, HEADER)
    base, index = _static_layer(L, runs, (scene.x0, scene.y0), box, (width, height), f"Gradscape · {L.title}")
    title_font = _font(18)
    paths = [[tuple(p) for p in box.pixels(run.params)] for run in runs]
    images = []
    for k in frame_steps(int(scene.steps), frames):
        image = base.copy()
        draw = ImageDraw.Draw(image)
        for path, run in zip(paths, runs):
            head = path[: min(k, len(path) - 1) + 1]
            if len(head) >= 2:
                draw.line(head, fill=index[run.colour], width=4, joint="curve")
            _dot(draw, head[-1], 7, index[run.colour], index["#ffffff"])
        counter = f"step {k} / {scene.steps}"
        draw.text((width - 10 - draw.textlength(counter, font=title_font), 7), counter, fill=index[P.INK],
                  font=title_font)
        images.append(image)
    out = io.BytesIO()
    durations = [FRAME_MS] * (len(images) - 1) + [HOLD_MS]
    frames_out = _deltas(images)
    frames_out[0].save(out, format="GIF", save_all=True, append_images=frames_out[1:], duration=durations, loop=0,
                       optimize=False, disposal=1, transparency=CLEAR)
    return out.getvalue()
