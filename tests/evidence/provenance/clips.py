"""Tiny synthetic video clips for the key-frame hash tests (PyAV): scenes of generated pictures
with a little motion, a key frame at each scene's start, and re-encoded copies of a clip."""

from __future__ import annotations

import io
from typing import Any

import av
from PIL import Image

from . import files

FPS = 10
SCENE_FRAMES = 10
SIZE = (160, 120)


def _write(frames: list[Image.Image], codec: str, size: tuple[int, int], **options: Any) -> bytes:
    out = io.BytesIO()
    with av.open(out, mode="w", format="mp4") as container:
        stream = container.add_stream(codec, rate=FPS)
        stream.width, stream.height, stream.pix_fmt = size[0], size[1], "yuv420p"
        stream.codec_context.gop_size = SCENE_FRAMES
        for key, value in options.items():
            setattr(stream.codec_context, key, value)
        for image in frames:
            frame = av.VideoFrame.from_image(image.resize(size))
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return out.getvalue()


def scenes(seeds: list[int]) -> list[Image.Image]:
    """``SCENE_FRAMES`` frames per seed: the seed's picture panning slowly."""
    frames = []
    for seed in seeds:
        picture = files.picture(seed, (SIZE[0] + SCENE_FRAMES * 2, SIZE[1]))
        for step in range(SCENE_FRAMES):
            frames.append(picture.crop((step * 2, 0, step * 2 + SIZE[0], SIZE[1])))
    return frames


def clip(seeds: list[int]) -> bytes:
    """An MPEG-4 Part 2 clip of one scene per seed."""
    return _write(scenes(seeds), "mpeg4", SIZE, bit_rate=400_000)


def decoded(data: bytes) -> list[Image.Image]:
    with av.open(io.BytesIO(data)) as container:
        return [frame.to_image() for frame in container.decode(video=0)]


def reencoded(data: bytes, *, scale: float = 0.5) -> bytes:
    """``data`` decoded and encoded again with another codec (H.264), smaller and at a lower
    quality: what a messaging app does to a clip."""
    size = (int(SIZE[0] * scale) // 2 * 2, int(SIZE[1] * scale) // 2 * 2)
    return _write(decoded(data), "libx264", size, bit_rate=60_000)
