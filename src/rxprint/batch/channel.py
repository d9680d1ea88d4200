"""The main process's end of a worker's pipe, never blocking.

A worker may stop reading (stuck in a plugin) or stop half way through a message (killed
while sending): the main process must never wait on it. So its end of the pipe is
non-blocking: a message is queued and written as the pipe takes it (:meth:`Channel.flush`
when the pipe is writable), and what arrives is read as it comes and split into whole
messages (:meth:`Channel.take`). The framing is that of ``multiprocessing``'s
``Connection`` (a 4-byte big-endian length, then the pickle), which the worker uses on its
blocking end.
"""

from __future__ import annotations

import contextlib
import os
import struct
from multiprocessing.connection import Connection
from multiprocessing.reduction import ForkingPickler

_HEADER = struct.Struct("!i")
_CHUNK = 1 << 16


class Channel:
    """Messages to and from one worker. ``closed``: the worker's end is gone (or sent
    something that is not a message): nothing more will come."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn  # it owns the file descriptor
        self.fd = conn.fileno()
        os.set_blocking(self.fd, False)
        self.outgoing = bytearray()
        self.incoming = bytearray()
        self.closed = False

    def put(self, message: object) -> None:
        """Queue ``message`` and write what the pipe takes now."""
        data = bytes(ForkingPickler.dumps(message))
        self.outgoing += _HEADER.pack(len(data)) + data
        self.flush()

    @property
    def writing(self) -> bool:
        """Whether part of a message is still to be written."""
        return bool(self.outgoing) and not self.closed

    def flush(self) -> None:
        """Write what the pipe takes without waiting."""
        while self.outgoing and not self.closed:
            try:
                written = os.write(self.fd, self.outgoing)
            except BlockingIOError:
                return
            except OSError:  # the worker's end is gone
                self.closed = True
                self.outgoing.clear()
                return
            del self.outgoing[:written]

    def take(self) -> list[object]:
        """Read what has arrived, without waiting; the whole messages in it."""
        while not self.closed:
            try:
                chunk = os.read(self.fd, _CHUNK)
            except BlockingIOError:
                break
            except OSError:
                self.closed = True
                break
            if not chunk:
                self.closed = True
                break
            self.incoming += chunk
        messages = []
        while len(self.incoming) >= _HEADER.size:
            (size,) = _HEADER.unpack_from(self.incoming)
            if size < 0:  # a message over 2 GB: never one of ours
                self.closed = True
                self.incoming.clear()
                break
            if len(self.incoming) < _HEADER.size + size:
                break
            data = bytes(self.incoming[_HEADER.size:_HEADER.size + size])
            del self.incoming[:_HEADER.size + size]
            try:
                messages.append(ForkingPickler.loads(data))
            except Exception:  # not one of ours: nothing more from it is trusted
                self.closed = True
                self.incoming.clear()
                break
        return messages

    def close(self) -> None:
        self.closed = True
        with contextlib.suppress(OSError):
            self.conn.close()
