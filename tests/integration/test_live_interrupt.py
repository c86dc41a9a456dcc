#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""verify ended early: by a signal, by a connection that ends, by a monitor that never greets.

Each says what had already been sent (nothing, the secret, cont) and sends nothing more."""

import json
import os
import signal
import socket
import subprocess
import time

import harness
import jsonschemas
from harness import LiveTestCase

EXIT_CONNECTION = 3
SECRET_DIR = os.path.join(harness.SEVCTL, 'secret')
SIGNALS = [signal.SIGINT, signal.SIGTERM, signal.SIGHUP]

# the command the peer sits on, and what sevlaunch must then say
POINTS = [
    ('query-sev-launch-measure', 'nothing injected, VM not resumed'),
    ('sev-inject-launch-secret', 'the secret may have been injected; VM not resumed'),
    ('cont', 'the VM may be running'),
]


class InterruptCase(LiveTestCase):

    def setUp(self):
        super().setUp()
        self.secret1 = self.private_copy(os.path.join(SECRET_DIR, 'secret1.txt'), 'secret1.txt')

    def peer(self, *extra):
        return self.start_peer('--tik', self.s_tik, '--tek', self.s_tek,
                               '--firmware', harness.SEVCTL_FW,
                               '--api', '1.40', '--build', '40', '--policy', '0x3', *extra)

    def verify_args(self, peer, *extra):
        return ['verify', '--qmp', peer.address, '--firmware', harness.SEVCTL_FW,
                '--tik', self.s_tik, '--tek', self.s_tek,
                '--secret', '%s:%s' % (harness.S_GUID1, self.secret1)] + list(extra)

    def start_sevlaunch(self, args):
        if not harness.SEVLAUNCH:
            self.skipTest('SEVLAUNCH is not set (src/sevlaunch not built)')
        return subprocess.Popen([harness.SEVLAUNCH] + [str(a) for a in args],
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)

    def wait_for_command(self, peer, proc, command):
        deadline = time.monotonic() + harness.scaled(20)
        while command not in peer.commands():
            self.assertIsNone(proc.poll(), 'sevlaunch ended before %s was sent' % command)
            self.assertLess(time.monotonic(), deadline, '%s never reached the peer' % command)
            time.sleep(0.02)

    def finish(self, proc):
        try:
            out, err = proc.communicate(timeout=harness.scaled(20))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            self.fail('sevlaunch did not end after the signal')
        proc.out = out.decode('utf-8', errors='replace')
        proc.err = err.decode('utf-8', errors='replace')
        # every JSON document is checked against its schema, and kept for the test
        proc.json = jsonschemas.check_output(proc.args[1:], out, proc.returncode)
        return proc

    def interrupt_at(self, command, signum, *extra):
        """Runs verify against a peer that sits on @command; sends @signum once it arrives."""
        peer = self.peer('--delay-on', command, '--delay', harness.scaled(30))
        proc = self.start_sevlaunch(self.verify_args(peer, *extra))
        self.wait_for_command(peer, proc, command)
        # the command reached the peer; give sevlaunch a moment to wait for its answer
        time.sleep(0.1)
        proc.send_signal(signum)
        res = self.finish(proc)
        peer.stop()
        return res, peer

    def assertStoppedAt(self, res, peer, command):
        """Nothing went to the peer after @command."""
        cmds = peer.commands()
        self.assertEqual(cmds[-1], command, cmds)
        self.assertEqual(cmds.count(command), 1, cmds)
        if command != 'cont':
            self.assertNoResume(peer)
        if command == 'query-sev-launch-measure':
            self.assertNoSecretSent(peer)


class TestSignals(InterruptCase):

    def test_each_signal_at_each_point(self):
        for signum in SIGNALS:
            for command, words in POINTS:
                with self.subTest(signal=signum.name, at=command):
                    res, peer = self.interrupt_at(command, signum)
                    self.assertExit(res, EXIT_CONNECTION)
                    self.assertOneErrorLine(res, signum.name, 'interrupted', words)
                    self.assertStoppedAt(res, peer, command)

    def test_json_object_after_signal(self):
        for command, words in POINTS:
            with self.subTest(at=command):
                res, peer = self.interrupt_at(command, signal.SIGTERM, '--json')
                self.assertExit(res, EXIT_CONNECTION)
                self.assertOneErrorLine(res, 'SIGTERM', words)
                lines = [l for l in res.out.splitlines() if l.strip()]
                self.assertEqual(len(lines), 1, res.out)
                obj = json.loads(lines[0])
                self.assertEqual(obj, res.json)  # checked against the schema by the harness
                self.assertIn(words, obj['error']['message'])
                self.assertIn('SIGTERM', obj['error']['message'])
                self.assertEqual(obj['error']['class'], 'connection')
                self.assertEqual(obj['exit_code'], EXIT_CONNECTION)
                self.assertStoppedAt(res, peer, command)


    def test_help_names_the_signals(self):
        if not harness.SEVLAUNCH:
            self.skipTest('SEVLAUNCH is not set (src/sevlaunch not built)')
        out = subprocess.run([harness.SEVLAUNCH, '--help'], capture_output=True, text=True).stdout
        text = ' '.join(out.split())
        self.assertIn('3 connection or QMP protocol error (or a live verify ended by SIGINT, '
                      'SIGTERM or SIGHUP)', text)


class TestConnectionEnds(InterruptCase):

    def run_hangup(self, command):
        peer = self.peer('--hangup-on', command)
        res = self.sevlaunch(*self.verify_args(peer))
        peer.finish()
        return res, peer

    def test_closed_after_inject(self):
        res, peer = self.run_hangup('sev-inject-launch-secret')
        self.assertExit(res, EXIT_CONNECTION)
        self.assertOneErrorLine(res, 'after sev-inject-launch-secret was sent',
                                'the secret may have been injected', 'VM not resumed')
        self.assertNoResume(peer)

    def test_closed_after_cont(self):
        res, peer = self.run_hangup('cont')
        self.assertExit(res, EXIT_CONNECTION)
        self.assertOneErrorLine(res, 'after cont was sent', 'the VM may be running')

    def test_closed_before_inject_says_nothing_injected(self):
        res, peer = self.run_hangup('query-sev-launch-measure')
        self.assertExit(res, EXIT_CONNECTION)
        self.assertOneErrorLine(res, 'query-sev-launch-measure')
        self.assertNotIn('may have been injected', res.err)
        self.assertNoSecretSent(peer)


class TestMonitorHeld(LiveTestCase):
    """QEMU serves one monitor client: the next one is accepted by the kernel, never greeted."""

    def test_held_monitor_hint(self):
        path = os.path.join(self.tmp, 'held.sock')
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            listener.bind(path)
            listener.listen(4)
            res = self.sevlaunch('verify', '--qmp', 'unix:' + path, '--timeout', '1',
                                 '--firmware', harness.SEVCTL_FW, '--tik', self.tik)
        finally:
            listener.close()
        self.assertExit(res, EXIT_CONNECTION)
        self.assertOneErrorLine(res, 'no QMP greeting within 1 s', 'another client',
                                'libvirt', '--qmp-tls-creds', 'nothing sent')


if __name__ == '__main__':
    harness.main()
