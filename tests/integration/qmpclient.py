# SPDX-License-Identifier: GPL-2.0-or-later
"""A tiny blocking QMP client for the integration tests (not sevlaunch's)."""

import json
import socket
import time


class QmpError(Exception):
    def __init__(self, error):
        super().__init__('%s: %s' % (error.get('class'), error.get('desc')))
        self.klass = error.get('class')
        self.desc = error.get('desc')


class QmpClient:
    """Connects, reads the greeting, optionally negotiates capabilities.

    Events are kept in self.events in the order they arrived."""

    def __init__(self, address, timeout=10.0, negotiate=True):
        self.events = []
        self.greeting = None
        self.sock = self._connect(address, timeout)
        self.sock.settimeout(timeout)
        self.buf = b''
        self.next_id = 0
        try:
            self.greeting = self.read_message()
            if 'QMP' not in self.greeting:
                raise ValueError('no QMP greeting: %r' % self.greeting)
            if negotiate:
                self.command('qmp_capabilities')
        except BaseException:
            self.close()
            raise

    @staticmethod
    def _connect(address, timeout):
        if address.startswith('tcp:'):
            host, _, port = address[4:].rpartition(':')
            return socket.create_connection((host, int(port)), timeout=timeout)
        if address.startswith('unix:'):
            address = address[5:]
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        sock.connect(address)
        return sock

    def read_line(self):
        while b'\n' not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError('connection closed')
            self.buf += chunk
        line, _, self.buf = self.buf.partition(b'\n')
        return line

    def read_message(self):
        return json.loads(self.read_line().decode('utf-8'))

    def send(self, obj):
        self.sock.sendall(json.dumps(obj).encode() + b'\n')

    def execute(self, name, arguments=None):
        """Returns the full reply message (return or error), events set aside."""
        self.next_id += 1
        cmd_id = 'test-%d' % self.next_id
        msg = {'execute': name, 'id': cmd_id}
        if arguments is not None:
            msg['arguments'] = arguments
        self.send(msg)
        while True:
            reply = self.read_message()
            if 'event' in reply:
                self.events.append(reply)
                continue
            if reply.get('id') != cmd_id:
                raise ValueError('reply for another id: %r' % reply)
            return reply

    def command(self, name, arguments=None):
        reply = self.execute(name, arguments)
        if 'error' in reply:
            raise QmpError(reply['error'])
        return reply['return']

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def wait_for_path(path, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with open(path, encoding='utf-8') as f:
                text = f.read().strip()
            if text:
                return text
        except FileNotFoundError:
            pass
        time.sleep(0.02)
    raise TimeoutError('%s did not appear' % path)
