"""A content file's validated record, kept by the file's bytes and everything else it was made from.

With Markdown and quote proofs served from the cache, a warm validation
at 1,000 claims still spent 1.0 s (cProfile: parsing YAML into a
positioned tree 43 %, the schema's checks and deflating the analyses
again 35 %, reading and hashing archived texts 10 %), and every record
then went to the main process pickled. A record is a pure function of the
file's bytes, the site's files it read (archived texts, images), the base
URL its links are written for and the code: kept under those, a warm
validation reads the file, checks what it read is unchanged and hands on
the record's pickled bytes, which the main process unpickles once.

An entry is a line of JSON, what the record was made from besides the
file (each site file read, by its path as written, the real path it led to
and the SHA-256 of its bytes; the other cache entries its making used, so
that a prune keeps them), then the record pickled. It is used only if
every file named still leads to the same real path with the same bytes,
so a changed archived text, image or link between files is validated
again. Only records that validated without an error are kept: a file
with errors is checked afresh each time, and its errors are reported
with their positions as always; references between files are checked by
the library, after this, from the records. Images are not copied into
the entry: the bytes read to check them go back into the record.

Entries are unpickled with only the record classes allowed, so a file
dropped into .cache/ cannot run code; one that fails to load is a miss.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import pickle
import sys

from . import cache, model
from .cache import ResultCache, code_version
from .extract import extractor_versions
from .files import UnreadableFile, read_bytes

# Every module of ours that validation runs: a change to any of them makes every entry miss.
# tests/test_validation_cache.py holds the list to what importing validate.py loads.
MODULES = (
    "brand.py",
    "cache.py",
    "errors.py",
    "extract.py",
    "files.py",
    "i18n.py",
    "images.py",
    "markdown.py",
    "model.py",
    "quotes.py",
    "record_cache.py",
    "schema.py",
    "suggest.py",
    "text.py",
    "urls.py",
    "validate.py",
    "yaml_messages.py",
    "yamlsrc.py",
)
PACKAGES = ("pyyaml", "markdown", "nh3", "pillow", "babel", "anyascii")
# The largest file a record may have read (validate.MAX_ARCHIVE_BYTES); a larger one is validated again.
_MAX_READ = 64 * 1024 * 1024
# What a record is made of; anything else in an entry is refused (pickle would run it).
_ALLOWED = {
    ("site_builder.errors", "Position"),
    ("datetime", "date"),
    ("datetime", "datetime"),
    ("datetime", "timezone"),
    ("datetime", "timedelta"),
    ("builtins", "frozenset"),
    ("builtins", "set"),
    ("builtins", "tuple"),
    ("builtins", "list"),
    ("builtins", "dict"),
    ("copyreg", "_reconstructor"),
    ("builtins", "object"),
}


@functools.cache
def _version() -> str:
    return f"{code_version(MODULES, PACKAGES)} {extractor_versions()} {sys.version}"


class Pickled:
    """A record's pickled bytes, as a validating worker sends it: the main process unpickles it once."""

    __slots__ = ("data",)

    def __init__(self, data: bytes) -> None:
        self.data = data

    def __reduce__(self):
        return (Pickled, (self.data,))

    def loads(self):
        """The record; None if these bytes are not one (the file is then validated again)."""
        return _loads(self.data, {})


class RecordCache:
    """Validated records in `<site root>/.cache/records/`, for the Validator of one base path."""

    def __init__(self, site_root: str, base_path: str) -> None:
        self.results = ResultCache(site_root, "records", _version())
        self.site_root = site_root
        self.real_root = os.path.realpath(site_root)
        # Validation writes links with the base URL's path alone (markdown.py's key holds no more):
        # the preview's localhost and the published address share their records.
        self.base_path = base_path

    def key(self, path: str, folder: str, slug: str, data: bytes) -> str:
        # The path as given: the record's positions hold it, and errors found later are shown with it.
        return self.results.key(path, folder, slug, self.base_path, self.site_root, self.real_root, data)

    def get(self, key: str, pickled: bool):
        """The record kept under `key` if what it was made from is unchanged (a Pickled one if `pickled`
        and it holds no image); None otherwise."""
        payload = self.results.get_bytes(key)
        if payload is None:
            return None
        head, _, body = payload.partition(b"\n")
        try:
            made_from = json.loads(head)
            reads, uses = made_from["reads"], made_from["uses"]
            images = {}
            for written, real, digest, what in reads:
                if os.path.realpath(os.path.join(self.site_root, written)) != real:
                    return None  # a link that leads elsewhere now
                data = read_bytes(real, _MAX_READ)
                if hashlib.sha256(data).hexdigest() != digest:
                    return None
                if what == "image":
                    images[digest] = data
            for kind, name in uses:
                cache.note(str(kind), str(name))
        except (ValueError, KeyError, TypeError, UnreadableFile, OSError):
            return None
        if pickled and not images:
            return Pickled(body)
        return _loads(body, images)

    def put(self, key: str, record, reads: list[tuple[str, str, str, str]], uses: list[tuple[str, str]]):
        """Keep `record`, made from `reads` and `uses`; its Pickled bytes when they hold no image, else None."""
        images = any(what == "image" for *_, what in reads)
        try:
            if images:
                out = io.BytesIO()
                _ImagesApart(out, protocol=pickle.HIGHEST_PROTOCOL).dump(record)
                body = out.getvalue()
            else:
                body = pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
            return None
        made_from = {"reads": sorted(set(reads)), "uses": sorted(set(uses))}
        head = json.dumps(made_from, ensure_ascii=True, separators=(",", ":")).encode()
        self.results.put_bytes(key, head + b"\n" + body)
        return None if images else Pickled(body)


class _ImagesApart(pickle.Pickler):
    """Pickles an image as what names it: its bytes are the site's file, read again to check the entry."""

    def persistent_id(self, obj):
        if type(obj) is model.ContentImage:
            return ("image", obj.path, obj.format, obj.width, obj.height, obj.digest)
        return None


class _Unpickler(pickle.Unpickler):
    def __init__(self, data: bytes, images: dict[str, bytes]) -> None:
        super().__init__(io.BytesIO(data))
        self.images = images

    def find_class(self, module: str, name: str):
        if module == "site_builder.model" or (module, name) in _ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a record")

    def persistent_load(self, pid):
        kind, path, format, width, height, digest = pid
        if kind != "image" or digest not in self.images:
            raise pickle.UnpicklingError("an image the entry did not read")
        return model.ContentImage(path, format, width, height, digest, self.images[digest])


def _loads(body: bytes, images: dict[str, bytes]):
    try:
        return _Unpickler(body, images).load()
    except Exception:  # noqa: BLE001 (whatever a damaged entry raises, it is a miss)
        return None
