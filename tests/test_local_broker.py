"""The embedded default's broker never hands a worker a message before it is whole."""

import threading

from kombu import Connection
from kombu.transport import filesystem

from casetracker import local_broker
from casetracker.celery import app


def _read_while_writing(tmp_path, transport):
    """Put large messages on a queue while another thread takes them as a worker does: what it read."""
    folders = {"data_folder_in": str(tmp_path), "data_folder_out": str(tmp_path), "control_folder": str(tmp_path)}
    payload = {"body": "x" * 2_000_000}
    taken, done = [], threading.Event()

    def take():
        with Connection("filesystem://", transport=transport, transport_options=folders) as reader:
            channel = reader.default_channel
            while not done.is_set() or any(tmp_path.glob("*.msg")):
                try:
                    taken.append(channel._get("work"))
                except filesystem.Empty:
                    pass
                except ValueError as error:  # what the worker died of: a message read before it was written
                    taken.append(error)

    reader = threading.Thread(target=take)
    reader.start()
    try:
        with Connection("filesystem://", transport=transport, transport_options=folders) as writer:
            for _ in range(40):
                writer.default_channel._put("work", payload)
    finally:
        done.set()
        reader.join(timeout=60)
    return taken, payload


def test_a_worker_never_takes_a_message_before_it_is_written_whole(tmp_path):
    # With kombu's own filesystem.Transport in its place this fails every time here: the reader takes
    # messages still empty (ValueError), the error that stopped the test worker under load.
    taken, payload = _read_while_writing(tmp_path, local_broker.Transport)
    assert taken == [payload] * 40


def test_the_embedded_default_uses_it(settings):
    assert app.conf.broker_url == "filesystem://"
    assert app.connection_for_write().transport_cls == "casetracker.local_broker.Transport"
    assert isinstance(app.connection_for_write().transport, local_broker.Transport)
