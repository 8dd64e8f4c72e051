"""An uploaded file's bytes as numbered lines of text, as they stream in: never more than
MAX_FILE_BYTES of them, and each line that is not UTF-8 noted rather than fatal."""

import io
import re
from typing import TYPE_CHECKING, BinaryIO

from ingest.model import LineError

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

# A season file's size limit, in bytes, stored or unpacked. A club's squad takes a few kB; 1 MiB
# holds some 16,000 rows like the demo season's. A load holds about 2.5 kB a row (the models, then
# their documents): at the limit, the function peaks at 136 MiB, inside its default 256 MiB.
MAX_FILE_BYTES = 1024 * 1024
OVER_THE_LIMIT = f"over the limit of {MAX_FILE_BYTES:,} bytes ({MAX_FILE_BYTES // 2**20} MiB)"
# Bytes that are not UTF-8 decode to these lone surrogates ("surrogateescape"), so reading goes on
# and a report can name every such line, not only the first.
NOT_UTF8 = re.compile("[\udc80-\udcff]")


class FileTooLarge(Exception):
    """The file goes on past MAX_FILE_BYTES."""


class TextLines:
    """The lines of a file, numbered as they are handed out (to the csv reader).

    A CR, LF or CRLF each ends a line and stays in it, as the csv reader wants. Raises
    FileTooLarge once the lines within the limit are out, and UnreadableContent if the stored
    bytes cannot be made into the file's.
    """

    def __init__(self, content: BinaryIO) -> None:
        limited = io.BufferedReader(_Limited(content, MAX_FILE_BYTES))
        self._text = io.TextIOWrapper(
            limited, encoding="utf-8-sig", errors="surrogateescape", newline=""
        )
        self.number = 0
        self.not_utf8: LineError | None = None  # the last line that was not

    def __iter__(self) -> "TextLines":
        return self

    def __next__(self) -> str:
        line = next(self._text)
        self.number += 1
        bad = NOT_UTF8.search(line)
        if bad is not None:
            byte = ord(bad.group()) - 0xDC00
            reason = f"not UTF-8 text: byte 0x{byte:02X} at character {bad.start() + 1}"
            self.not_utf8 = LineError(line=self.number, reason=f"{reason}; save it as UTF-8")
        return line

    def first_filled(self) -> str | None:
        """The first line that is not blank, the blank ones before it counted."""
        return next((line for line in self if line.strip()), None)


class _Limited(io.RawIOBase):
    """A stream that gives the first `limit` bytes of another, then raises FileTooLarge if that
    one has more: every line that ends within the limit is read, and nothing after it."""

    def __init__(self, stream: BinaryIO, limit: int) -> None:
        super().__init__()
        self._stream, self._left, self._over = stream, limit, False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: "WriteableBuffer") -> int:
        if self._over:
            raise FileTooLarge
        into = memoryview(buffer)
        # One byte more than is left tells whether the stream goes on past the limit.
        data = self._stream.read(min(len(into), self._left + 1))
        if len(data) > self._left:
            self._over = True
            data = data[: self._left]  # the rest of the limit now, and FileTooLarge next time
            if not data:
                raise FileTooLarge
        self._left -= len(data)
        into[: len(data)] = data
        return len(data)
