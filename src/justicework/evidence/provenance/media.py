"""Audio and video: the container (format, duration, creation time, the recording device when
the container names it, the place as an ISO 6709 location tag), and each stream's type and
codec. PyAV (ffmpeg inside its wheel) reads the headers; only the key frames of a video are
decoded, for their perceptual hashes (``frames``). A file ffmpeg cannot open is a finding."""

from __future__ import annotations

import re
from typing import IO, Any

import av

from justicework.evidence.provenance import frames, timestamps
from justicework.evidence.provenance.result import Extracted

DEVICE_TAGS = {
    "com.apple.quicktime.make": "device_make", "make": "device_make",
    "com.apple.quicktime.model": "device_model", "model": "device_model",
    "com.apple.quicktime.software": "software", "encoder": "encoder", "title": "title",
    "artist": "artist", "comment": "comment",
}  # fmt: skip
LOCATION_TAGS = ("location", "com.apple.quicktime.location.ISO6709", "location-eng")
_ISO6709 = re.compile(r"^([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)")
MAX_STREAMS = 16


def read(stream: IO[bytes]) -> Extracted:
    result = Extracted(kind="media")
    try:
        container = av.open(stream, mode="r")
    except (av.FFmpegError, OSError, ValueError, UnicodeDecodeError) as exc:
        result.find("unreadable", exc)
        return result
    with container:
        result.put("container", container.format.long_name or container.format.name)
        if container.duration is not None and container.duration >= 0:
            result.put("duration_s", round(container.duration / av.time_base, 3))
        tags = {str(k): str(v) for k, v in (container.metadata or {}).items()}
        _tags(tags, result)
        _streams(container, result)
        _frames(container, result)
    return result


def _frames(container: Any, result: Extracted) -> None:
    """The key frames' perceptual hashes (``frames``): decoding may fail where headers did not."""
    try:
        result.frames = frames.key_frame_hashes(container)
    except (av.FFmpegError, OSError, ValueError) as exc:
        result.find("frames_unreadable", exc)


def _tags(tags: dict[str, str], result: Extracted) -> None:
    for key, name in DEVICE_TAGS.items():
        if key in tags and name not in result.metadata:
            result.put(name, tags[key])
    created = tags.get("creation_time") or tags.get("com.apple.quicktime.creationdate")
    if created:
        parsed = timestamps.iso_time(created)
        if parsed is None:
            result.find("time_malformed", created[:60])
        else:
            result.captured_local, result.captured_offset = parsed
            result.put("created", created)
            if not parsed[1]:
                result.find("time_without_zone")
    for key in LOCATION_TAGS:
        if key in tags:
            match = _ISO6709.match(tags[key].strip())
            if match is None:
                result.find("gps_malformed", tags[key][:60])
            else:
                result.set_place(float(match.group(1)), float(match.group(2)))
            break


def _streams(container: Any, result: Extracted) -> None:
    described = []
    for media in list(container.streams)[:MAX_STREAMS]:
        context = media.codec_context
        name = getattr(context, "name", None) or "?"
        if media.type == "video":
            described.append(f"video {name} {context.width}x{context.height}")
        elif media.type == "audio":
            described.append(f"audio {name} {context.sample_rate} Hz {context.channels} ch")
        else:
            described.append(f"{media.type} {name}")
    if described:
        result.put("streams", "; ".join(described))
    else:
        result.find("no_streams")
