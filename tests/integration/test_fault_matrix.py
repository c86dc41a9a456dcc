#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The fault matrix: every way a QMP peer can fail a live verify, one row each.

For every row: the documented exit code; one stderr line naming the cause and
what had already been sent; no `cont` unless the measurement matched; no
secret unless it matched; bounded memory; and the process ends on its own.
"""

import base64
import os
import re
import subprocess
import tempfile
import time
import unittest

import harness
from harness import LiveTestCase

EXIT_OK, EXIT_MISMATCH, EXIT_INPUT, EXIT_CONNECTION, EXIT_NOT_VERIFIABLE, EXIT_REFUSED = range(6)
SECRET_DIR = os.path.join(harness.SEVCTL, 'secret')
GNU_TIME = '/usr/bin/time'
# peak RSS a verify may reach whatever the peer does: the 16 MiB message cap
# plus the process itself
RSS_BOUND_KIB = 40 * 1024
SCALE = harness.TIMEOUT_SCALE

# what the one error line says was already sent, by how far the flow got
NOTHING_SENT = re.compile(r'nothing (was )?(sent|injected)|not resumed', re.I)
SECRET_MAYBE = re.compile(r'secret may have been injected', re.I)
RUNNING_MAYBE = re.compile(r'(VM|guest) may be running', re.I)

# the commands of a verify that matches, injects and resumes, in order; read
# off a clean run (setUpClass) so that the matrix follows the flow as it is
SUCCESS_FLOW = []


class FaultMatrix(LiveTestCase):

    def setUp(self):
        super().setUp()
        self.secret = self.private_copy(os.path.join(SECRET_DIR, 'secret1.txt'), 'secret1.txt')

    def peer(self, *extra):
        return self.start_peer('--tik', self.s_tik, '--tek', self.s_tek,
                               '--firmware', harness.SEVCTL_FW,
                               '--api', '1.40', '--build', '40', '--policy', '0x3', *extra)

    def verify(self, peer, *extra, timeout_s=10):
        """Runs verify under GNU time; returns the result with .max_rss_kib."""
        if not harness.SEVLAUNCH:
            self.skipTest('SEVLAUNCH is not set')
        if not os.path.exists(GNU_TIME):
            self.skipTest('GNU time (/usr/bin/time) is not installed')
        rss_file = os.path.join(self.tmp, 'rss')
        cmd = [GNU_TIME, '-o', rss_file, '-f', '%M', harness.SEVLAUNCH, 'verify',
               '--qmp', peer.address, '--firmware', harness.SEVCTL_FW,
               '--tik', self.s_tik, '--tek', self.s_tek,
               '--secret', '%s:%s' % (harness.S_GUID1, self.secret),
               '--timeout', str(timeout_s)] + [str(a) for a in extra]
        try:
            res = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True,
                                 timeout=(timeout_s + 20) * SCALE)
        except subprocess.TimeoutExpired:
            self.fail('sevlaunch did not end on its own: %s' % ' '.join(cmd))
        res.out = res.stdout.decode('utf-8', errors='replace')
        res.err = res.stderr.decode('utf-8', errors='replace')
        with open(rss_file) as f:
            res.max_rss_kib = int(f.read().strip().splitlines()[-1])
        return res

    def assertRow(self, res, peer, code, cause, sent=None, matched=False, resumed=False):
        """The checks every row of the matrix shares."""
        self.assertExit(res, code)
        peer.finish()
        cmds = peer.commands()
        if code != EXIT_OK:
            self.assertOneErrorLine(res)
            self.assertRegex(res.err, cause)
            if sent is not None:
                self.assertRegex(res.err, sent)
        if not matched:
            self.assertNoSecretSent(peer)
        if not resumed:
            self.assertNotIn('cont', cmds)
        if 'cont' in cmds:
            self.assertTrue(matched, 'cont sent without a match: %s' % cmds)
            self.assertLess(cmds.index('sev-inject-launch-secret'), cmds.index('cont'))
        if harness.rss_skip_reason():
            return  # the other checks of the row still hold
        self.assertLess(res.max_rss_kib, RSS_BOUND_KIB,
                        'peak RSS %d KiB over the bound' % res.max_rss_kib)


class TestDropAfterEachMessage(FaultMatrix):
    """The connection closed after the peer answered N commands, N = 0, 1, 2, ..."""

    def setUp(self):
        super().setUp()
        if not SUCCESS_FLOW:
            peer = self.peer()
            res = self.verify(peer)
            self.assertRow(res, peer, EXIT_OK, None, matched=True, resumed=True)
            SUCCESS_FLOW.extend(peer.commands())
            self.assertEqual(SUCCESS_FLOW[-2:], ['sev-inject-launch-secret', 'cont'])
            peer.stop()

    def test_drop_after_each_answer(self):
        for n in range(len(SUCCESS_FLOW) + 1):
            with self.subTest(answered=n):
                peer = self.peer('--drop-after', n)
                res = self.verify(peer)
                if n < SUCCESS_FLOW.index('sev-inject-launch-secret'):
                    self.assertRow(res, peer, EXIT_CONNECTION, r'(?i)closed', NOTHING_SENT)
                elif n == SUCCESS_FLOW.index('sev-inject-launch-secret'):
                    # the measurement matched; closed before inject went out
                    self.assertRow(res, peer, EXIT_CONNECTION, r'(?i)closed', NOTHING_SENT,
                                   matched=True)
                    self.assertEqual(peer.injections(), [])
                elif n == SUCCESS_FLOW.index('cont'):
                    # the secret was injected; cont may or may not have gone out
                    # before the close was seen
                    self.assertRow(res, peer, EXIT_CONNECTION, r'(?i)closed', matched=True,
                                   resumed=True)
                    self.assertRegex(res.err, r'(?i)the secret was injected')
                    self.assertNotIn('cont', peer.commands())
                    self.assertEqual(len(peer.injections()), 1)
                else:
                    # everything was answered before the drop
                    self.assertRow(res, peer, EXIT_OK, None, matched=True, resumed=True)
                peer.stop()

    def test_hangup_on_each_command(self):
        """Closed on receipt, without an answer: was it acted on? Nobody knows."""
        for name in SUCCESS_FLOW:
            with self.subTest(command=name):
                peer = self.peer('--hangup-on', name)
                res = self.verify(peer)
                if name == 'sev-inject-launch-secret':
                    self.assertRow(res, peer, EXIT_CONNECTION, r'(?i)closed', SECRET_MAYBE,
                                   matched=True)
                    self.assertNotIn('cont', peer.commands())
                elif name == 'cont':
                    self.assertRow(res, peer, EXIT_CONNECTION, r'(?i)closed', RUNNING_MAYBE,
                                   matched=True, resumed=True)
                else:
                    self.assertRow(res, peer, EXIT_CONNECTION, r'(?i)closed', NOTHING_SENT)
                peer.stop()

    def test_no_greeting(self):
        peer = self.peer('--no-greeting')
        res = self.verify(peer)
        self.assertRow(res, peer, EXIT_CONNECTION, r'(?i)greeting|closed', NOTHING_SENT)


class TestHostileReplies(FaultMatrix):

    def test_garbage(self):
        peer = self.peer('--garbage')
        res = self.verify(peer)
        self.assertRow(res, peer, EXIT_CONNECTION, r'(?i)json|invalid|parse', NOTHING_SENT)

    def test_reply_over_size_bound(self):
        peer = self.peer('--huge-measure', '17')
        res = self.verify(peer)
        self.assertRow(res, peer, EXIT_CONNECTION, r'(?i)too (long|large|big)|exceeds|limit',
                       NOTHING_SENT)

    def test_peer_slower_than_timeout(self):
        peer = self.peer('--delay', '30', '--delay-on', 'query-sev-launch-measure')
        start = time.monotonic()
        res = self.verify(peer, timeout_s=2)
        self.assertLess(time.monotonic() - start, 15 * SCALE)
        self.assertRow(res, peer, EXIT_CONNECTION, r'(?i)within 2 s', NOTHING_SENT)

    def test_slow_inject_says_secret_may_be_injected(self):
        # the flow must reach the injection before the deadline, even under valgrind
        timeout_s = int(2 * SCALE)
        peer = self.peer('--delay', 3 * timeout_s + 10, '--delay-on', 'sev-inject-launch-secret')
        res = self.verify(peer, timeout_s=timeout_s)
        self.assertRow(res, peer, EXIT_CONNECTION, r'(?i)within %d s' % timeout_s, SECRET_MAYBE,
                       matched=True)

    def test_slow_cont_says_vm_may_run(self):
        timeout_s = int(2 * SCALE)
        peer = self.peer('--delay', 3 * timeout_s + 10, '--delay-on', 'cont')
        res = self.verify(peer, timeout_s=timeout_s)
        self.assertRow(res, peer, EXIT_CONNECTION, r'(?i)within %d s' % timeout_s, RUNNING_MAYBE,
                       matched=True, resumed=True)

    def test_events_between_every_message(self):
        peer = self.peer('--interleave-events')
        res = self.verify(peer)
        self.assertRow(res, peer, EXIT_OK, None, matched=True, resumed=True)
        self.assertEqual(len(peer.injections()), 1)

    def test_byte_by_byte_writes(self):
        peer = self.peer('--split-writes', '1')
        res = self.verify(peer)
        self.assertRow(res, peer, EXIT_OK, None, matched=True, resumed=True)
        self.assertEqual(len(peer.injections()), 1)

    def test_wrong_id(self):
        peer = self.peer('--stray-reply')
        res = self.verify(peer)
        self.assertRow(res, peer, EXIT_CONNECTION, r'(?i)\bid\b', NOTHING_SENT)

    def test_every_state_but_launch_secret(self):
        for state in ('uninit', 'launch-update', 'running', 'send-update', 'receive-update'):
            with self.subTest(state=state):
                peer = self.peer('--state', state)
                res = self.verify(peer)
                self.assertRow(res, peer, EXIT_NOT_VERIFIABLE, re.escape(state), NOTHING_SENT)
                peer.stop()

    def test_measurement_of_47_and_49_bytes(self):
        for size in (47, 49):
            with self.subTest(size=size):
                blob = base64.b64encode(bytes(range(size))).decode()
                peer = self.peer('--measure-data', blob)
                res = self.verify(peer)
                self.assertRow(res, peer, EXIT_CONNECTION, r'%d' % size, NOTHING_SENT)
                peer.stop()

    def test_invalid_base64(self):
        peer = self.peer('--measure-data', 'not*base64!')
        res = self.verify(peer)
        self.assertRow(res, peer, EXIT_CONNECTION, r'(?i)base64', NOTHING_SENT)

    def test_injection_refused(self):
        peer = self.peer('--refuse-inject')
        res = self.verify(peer)
        self.assertRow(res, peer, EXIT_REFUSED, r'(?i)refused|policy failure', r'(?i)not resumed',
                       matched=True)
        self.assertEqual(peer.injections(), [])

    def test_cont_refused(self):
        peer = self.peer('--error-on', 'cont')
        res = self.verify(peer)
        self.assertRow(res, peer, EXIT_CONNECTION, r'(?i)cont', matched=True, resumed=True)
        self.assertEqual(len(peer.injections()), 1)

    def test_mismatch_sends_neither(self):
        peer = self.peer('--tamper-firmware')
        res = self.verify(peer)
        self.assertRow(res, peer, EXIT_MISMATCH, r'(?i)mismatch', NOTHING_SENT)


if __name__ == '__main__':
    harness.main()
