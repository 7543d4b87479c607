"""The embedded default's broker: kombu's filesystem transport, with messages that appear whole.

kombu creates a message file, then locks and fills it; a worker reading the folder takes files
without locking, so it can take one still empty, fail to decode it and stop with an
"Unrecoverable error" (seen under load in the test suite). Here a message is written under a name
no reader looks at and renamed into place, which on one file system is atomic: a reader finds the
whole message or nothing.
"""

import os
import tempfile
import uuid
from time import monotonic

from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        # kombu's naming: readers take messages in name order, and only names ending ".<queue>.msg".
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        handle, partial = tempfile.mkstemp(dir=self.data_folder_out, prefix="partial-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(str_to_bytes(dumps(payload)))
            os.replace(partial, os.path.join(self.data_folder_out, name))
        except OSError as error:
            if os.path.exists(partial):
                os.remove(partial)
            raise filesystem.ChannelError(f"Cannot add a message to {self.data_folder_out!r}") from error


class Transport(filesystem.Transport):
    Channel = Channel
