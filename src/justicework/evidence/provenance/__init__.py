"""Reading provenance from originals without changing them: ``extract.read`` dispatches on the
media type to ``exif`` (images), ``pdf`` and ``media`` (audio and video); ``phash`` computes
perceptual hashes and finds near-duplicates. Nothing here writes to the database: the action
``actions.extract_provenance`` does."""
