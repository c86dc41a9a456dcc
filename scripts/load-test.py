#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Load: many verifies at once, and one verify under an event flood.

1. N guests (default 200), each a tests/qmp-peer.py with its own TIK, TEK,
   nonce and secret; N `sevlaunch verify --secret` at once. Every verify must
   exit 0 and every peer must have received exactly its own secret, then cont.
2. One peer sends a million events before answering query-sev-launch-measure;
   the verify must succeed with a peak RSS under 16 MiB.

Reports wall time and peak RSS (GNU time) of each part; exits non-zero when a
check fails. Not a timed test: the figures are for reading, the checks are
about correctness and memory.

  scripts/load-test.py [--guests N] [--events N] [--sevlaunch PATH]
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEER = os.path.join(TOP, 'tests', 'qmp-peer.py')
FIRMWARE = os.path.join(TOP, 'tests', 'data', 'sevctl',
                        'OVMF.amdsev.fd_trimmed_edk2-ovmf-20220126gitbb1bba3d77-4.el9')
GNU_TIME = '/usr/bin/time'
FLOOD_RSS_BOUND_KIB = 16 * 1024
SECRET_GUID = '736869e5-84f0-4973-92ec-06879ce3da0b'


def write_private(path, data):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, 'wb') as f:
        f.write(data)
    return path


class Guest:
    def __init__(self, tmp, index, extra_peer_args=()):
        self.dir = os.path.join(tmp, 'g%03d' % index)
        os.mkdir(self.dir, 0o700)
        self.tik = write_private(os.path.join(self.dir, 'tik.bin'), os.urandom(16))
        self.tek = write_private(os.path.join(self.dir, 'tek.bin'), os.urandom(16))
        self.secret_value = ('secret of guest %d: %s' % (index, os.urandom(8).hex())).encode()
        self.secret = write_private(os.path.join(self.dir, 'secret'), self.secret_value)
        self.socket = os.path.join(self.dir, 'qmp.sock')
        self.ready = os.path.join(self.dir, 'ready')
        self.log = os.path.join(self.dir, 'peer.log')
        self.rss = os.path.join(self.dir, 'rss')
        cmd = [sys.executable, PEER, '--unix', self.socket, '--ready-file', self.ready,
               '--log', self.log, '--accept-timeout', '300', '--idle-timeout', '300',
               '--tik', self.tik, '--tek', self.tek, '--firmware', FIRMWARE,
               '--policy', '0x1'] + list(extra_peer_args)
        self.peer = subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                                     stderr=open(os.path.join(self.dir, 'peer.err'), 'wb'))
        self.verify = None

    def wait_ready(self, deadline):
        while not os.path.exists(self.ready):
            if self.peer.poll() is not None or time.monotonic() > deadline:
                raise SystemExit('load: peer %s did not start' % self.dir)
            time.sleep(0.05)

    def start_verify(self, sevlaunch, timeout):
        cmd = [GNU_TIME, '-o', self.rss, '-f', '%M', sevlaunch, 'verify',
               '--qmp', 'unix:' + self.socket, '--firmware', FIRMWARE,
               '--tik', self.tik, '--tek', self.tek,
               '--secret', '%s:%s' % (SECRET_GUID, self.secret), '--timeout', str(timeout)]
        self.verify = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def check(self):
        """None when this guest got exactly its own secret and then cont."""
        _, err = self.verify.communicate()
        if self.verify.returncode != 0:
            return 'verify exit %d: %s' % (self.verify.returncode, err.decode(errors='replace'))
        try:
            self.peer.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.peer.kill()
        with open(self.log, encoding='utf-8') as f:
            events = [json.loads(line) for line in f if line.strip()]
        injected = [e['injected'] for e in events if 'injected' in e]
        commands = [e['execute'] for e in events if 'execute' in e]
        if injected != [{SECRET_GUID: self.secret_value.hex()}]:
            return 'peer received %r' % injected
        if commands.count('cont') != 1 or commands[-1] != 'cont':
            return 'commands %r' % commands
        return None

    def max_rss_kib(self):
        with open(self.rss) as f:
            return int(f.read().strip().splitlines()[-1])

    def stop(self):
        if self.peer.poll() is None:
            self.peer.kill()
            self.peer.wait()


def many_at_once(tmp, sevlaunch, count):
    guests = []
    try:
        for i in range(count):
            guests.append(Guest(tmp, i))
        deadline = time.monotonic() + 300
        for g in guests:
            g.wait_ready(deadline)
        start = time.monotonic()
        for g in guests:
            g.start_verify(sevlaunch, timeout=240)
        failures = [(g.dir, g.check()) for g in guests]
        wall = time.monotonic() - start
        failures = [(d, why) for d, why in failures if why is not None]
        peak = max(g.max_rss_kib() for g in guests)
        print('load: %d verifies at once against %d peers: %.2f s wall, peak RSS %.1f MiB '
              'per process, %d failed' % (count, count, wall, peak / 1024.0, len(failures)))
        for d, why in failures[:10]:
            print('  %s: %s' % (d, why))
        return not failures
    finally:
        for g in guests:
            g.stop()


def event_flood(tmp, sevlaunch, events):
    g = Guest(tmp, 999, ['--event-storm', str(events), '--storm-on', 'query-sev-launch-measure'])
    try:
        g.wait_ready(time.monotonic() + 60)
        start = time.monotonic()
        g.start_verify(sevlaunch, timeout=600)
        why = g.check()
        wall = time.monotonic() - start
        peak = g.max_rss_kib()
        ok = why is None and peak < FLOOD_RSS_BOUND_KIB
        print('load: one verify under %d events: %.2f s wall, peak RSS %.1f MiB (bound %d MiB)%s'
              % (events, wall, peak / 1024.0, FLOOD_RSS_BOUND_KIB // 1024,
                 '' if ok else ': FAILED ' + (why or 'RSS over the bound')))
        return ok
    finally:
        g.stop()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--guests', type=int, default=200)
    p.add_argument('--events', type=int, default=1000000)
    p.add_argument('--sevlaunch', default=os.path.join(TOP, 'build', 'src', 'sevlaunch'))
    args = p.parse_args()
    if not os.access(args.sevlaunch, os.X_OK):
        raise SystemExit('load: %s is not built (bash scripts/build.sh)' % args.sevlaunch)
    if not os.path.exists(GNU_TIME):
        raise SystemExit('load: needs GNU time (apt-get install time)')
    tmp = tempfile.mkdtemp(prefix='sl-load-')
    try:
        ok = many_at_once(tmp, os.path.abspath(args.sevlaunch), args.guests)
        ok = event_flood(tmp, os.path.abspath(args.sevlaunch), args.events) and ok
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
