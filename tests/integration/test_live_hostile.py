#!/usr/bin/env python3
"""sevlaunch against a host that lies or stalls, and local inputs meant to hang or flood it.

Each case comes from a review of the tool: replaying what a mismatch report
shows, devices and FIFOs as artifacts, a stalled injection, addresses QEMU
would misread, terminal escapes in QEMU's error text."""

import base64
import json
import os
import re
import socket
import threading

import harness
from harness import LiveTestCase

EXIT_VERIFIED, EXIT_MISMATCH, EXIT_INPUT, EXIT_CONNECTION, EXIT_NOT_VERIFIABLE = 0, 1, 2, 3, 4
M3_PEER = ['--api', '1.40', '--build', '40', '--policy', '0x3', '--firmware', harness.SEVCTL_FW]
ZERO_BLOB = base64.b64encode(bytes(48)).decode()


class HostileCase(LiveTestCase):

    def peer(self, *extra):
        return self.start_peer('--tik', self.tik, *(M3_PEER + list(extra)))

    def verify(self, peer_or_address, *extra, timeout=harness.SEVLAUNCH_TIMEOUT):
        address = getattr(peer_or_address, 'address', peer_or_address)
        return self.sevlaunch('verify', '--qmp', address, '--firmware', harness.SEVCTL_FW,
                              '--tik', self.tik, *extra, timeout=timeout)

    def assertNothingSent(self, res, peer, *keywords):
        self.assertExit(res, EXIT_INPUT)
        self.assertOneErrorLine(res, *keywords)
        peer.stop()
        self.assertEqual(peer.commands(), [], 'QEMU heard from a run refused before connecting')


class TestReplay(HostileCase):

    def test_mismatch_report_cannot_be_replayed(self):
        # a host that reports garbage reads the mismatch report, then reports any
        # 32-byte value it found there: none of them may verify
        first = self.peer('--report-blob', ZERO_BLOB)
        res = self.verify(first)
        self.assertExit(res, EXIT_MISMATCH)
        candidates = set(re.findall(r'\b[0-9a-f]{64}\b', res.out + res.err))
        self.assertTrue(candidates, res.out)
        for value in sorted(candidates):
            blob = base64.b64encode(bytes.fromhex(value) + bytes(16)).decode()
            peer = self.peer('--report-blob', blob)
            again = self.verify(peer)
            self.assertNotEqual(again.returncode, EXIT_VERIFIED,
                                'replaying %s from the report verified' % value)
            peer.finish()
            self.assertNoResume(peer)


class TestHangingInputs(HostileCase):

    def test_device_as_initrd(self):
        peer = self.peer()
        res = self.verify(peer, '--kernel', harness.KERNEL, '--initrd', '/dev/zero', '--timeout', '3')
        self.assertNothingSent(res, peer, '/dev/zero', 'not a regular file')

    def test_fifo_as_kernel(self):
        fifo = os.path.join(self.tmp, 'kernel.fifo')
        os.mkfifo(fifo)
        peer = self.peer()
        res = self.verify(peer, '--kernel', fifo, '--timeout', '3')
        self.assertNothingSent(res, peer, fifo, 'not a regular file')

    def test_device_as_vmsa(self):
        peer = self.peer()
        res = self.verify(peer, '--vmsa-cpu0', '/dev/zero', '--vmsa-cpu1', '/dev/zero', '--vcpus', '2')
        self.assertNothingSent(res, peer, '/dev/zero')

    def test_fifo_as_firmware(self):
        fifo = os.path.join(self.tmp, 'fw.fifo')
        os.mkfifo(fifo)
        res = self.sevlaunch('ovmf', fifo, timeout=10)
        self.assertExit(res, EXIT_INPUT)
        self.assertOneErrorLine(res, fifo, 'not a regular file')


class TestBadValues(HostileCase):

    def test_secret_gpa_past_int64(self):
        secret = self.write_private('secret.txt', b'hunter2')
        s_tek = self.s_tek
        peer = self.peer()
        res = self.verify(peer, '--tek', s_tek, '--secret', 'luks-key:' + secret,
                          '--secret-gpa', '0xffffffffffffffff')
        self.assertNothingSent(res, peer, '--secret-gpa')

    def test_timeout_zero_refused(self):
        peer = self.peer()
        res = self.verify(peer, '--timeout', '0')
        self.assertNothingSent(res, peer, '--timeout')

    def test_sev_es_knobs_for_plain_sev_guest(self):
        # a host that drops the ES bit must not have --vmsa-variant silently ignored
        peer = self.peer()
        res = self.verify(peer, '--vmsa-variant', 'init2')
        self.assertExit(res, EXIT_NOT_VERIFIABLE)
        self.assertOneErrorLine(res, 'SEV-ES', '0x3')
        peer.finish()
        self.assertNoResume(peer)


class TestSecretArea(HostileCase):
    """The sevctl firmware's secret area: base 0x80c000, 0xc00 bytes."""

    def inject(self, size, *extra):
        secret = self.write_private('secret.bin', b'\x5a' * size)
        peer = self.start_peer('--tik', self.s_tik, '--tek', self.s_tek, *M3_PEER)
        res = self.sevlaunch('verify', '--qmp', peer.address, '--firmware', harness.SEVCTL_FW,
                             '--tik', self.s_tik, '--tek', self.s_tek,
                             '--secret', 'luks-key:' + secret, *extra)
        return peer, res

    def test_table_larger_than_area(self):
        # 40 bytes of table headers + 3100 = 3140, padded 3152 > 3072
        peer, res = self.inject(3100)
        self.assertNothingSent(res, peer, '3152', '3072')

    def test_table_that_fits(self):
        peer, res = self.inject(3000)
        self.assertExit(res, EXIT_VERIFIED)
        peer.finish()
        self.assertEqual(peer.commands().count('sev-inject-launch-secret'), 1)

    def test_gpa_inside_area_leaves_less_room(self):
        # 3000 bytes fit at the base, not 0x100 bytes further in
        peer, res = self.inject(3000, '--secret-gpa', '0x80c100')
        self.assertNothingSent(res, peer, 'from there')


class TestStalledInjection(HostileCase):

    def test_timeout_while_injecting_says_so(self):
        secret = self.write_private('secret.txt', b'hunter2')
        peer = self.start_peer('--tik', self.s_tik, '--tek', self.s_tek, *M3_PEER,
                               '--delay', harness.scaled_arg(5),
                               '--delay-on', 'sev-inject-launch-secret')
        res = self.sevlaunch('verify', '--qmp', peer.address, '--firmware', harness.SEVCTL_FW,
                             '--tik', self.s_tik, '--tek', self.s_tek,
                             '--secret', 'luks-key:' + secret, '--timeout', harness.scaled_arg(2))
        self.assertExit(res, EXIT_CONNECTION)
        self.assertOneErrorLine(res, 'sev-inject-launch-secret', 'may have been injected')
        # the verdict was reached: the report says so even though a later step failed
        self.assertIn('verdict: verified', res.out)
        peer.stop()
        self.assertNoResume(peer)

    def test_timeout_while_injecting_with_wait_says_so(self):
        # --wait extends the deadline; no single command may time out with a vaguer message
        secret = self.write_private('secret.txt', b'hunter2')
        peer = self.start_peer('--tik', self.s_tik, '--tek', self.s_tek, *M3_PEER,
                               '--delay', harness.scaled_arg(8),
                               '--delay-on', 'sev-inject-launch-secret')
        res = self.sevlaunch('verify', '--qmp', peer.address, '--firmware', harness.SEVCTL_FW,
                             '--tik', self.s_tik, '--tek', self.s_tek,
                             '--secret', 'luks-key:' + secret, '--timeout', harness.scaled_arg(2),
                             '--wait', harness.scaled_arg(2))
        self.assertExit(res, EXIT_CONNECTION)
        self.assertOneErrorLine(res, 'sev-inject-launch-secret', 'may have been injected')
        peer.stop()
        self.assertNoResume(peer)


def serve_one(sock, error_desc):
    """A minimal hostile QMP server: greeting, capabilities, status, then an error with @error_desc."""
    conn, _ = sock.accept()
    with conn:
        f = conn.makefile('rwb')
        f.write(b'{"QMP": {"version": {"qemu": {"micro": 0, "minor": 1, "major": 9}, '
                b'"package": ""}, "capabilities": []}}\r\n')
        f.flush()
        for _ in range(3):
            line = f.readline()
            if not line:
                return
            msg = json.loads(line)
            if msg['execute'] == 'qmp_capabilities':
                reply = {'return': {}, 'id': msg.get('id')}
            elif msg['execute'] == 'query-status':
                reply = {'return': {'status': 'prelaunch', 'running': False}, 'id': msg.get('id')}
            else:
                reply = {'error': {'class': 'GenericError', 'desc': error_desc}, 'id': msg.get('id')}
            f.write(json.dumps(reply).encode() + b'\r\n')
            f.flush()


class TestTerminalEscapes(HostileCase):

    def test_escape_sequences_in_qemu_error_never_reach_the_terminal(self):
        path = os.path.join(self.tmp, 'evil.sock')
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.bind(path)
        sock.listen(1)
        desc = 'SEV \x1b[31mred\x1b[0m \x1b]0;pwned\x07 off\nsecond line'
        server = threading.Thread(target=serve_one, args=(sock, desc), daemon=True)
        server.start()
        try:
            res = self.verify('unix:' + path, '--timeout', '5')
        finally:
            server.join(5)
            sock.close()
        self.assertExit(res, EXIT_NOT_VERIFIABLE)
        self.assertOneErrorLine(res, 'SEV is not enabled', 'second line')
        for text in (res.out, res.err):
            self.assertNotIn('\x1b', text)
            self.assertNotIn('\x07', text)



def serve_greeting(sock, greeting):
    """A hostile QMP server whose greeting is @greeting (bytes); it then waits for the client to go."""
    conn, _ = sock.accept()
    with conn:
        conn.sendall(greeting + b'\r\n')
        conn.settimeout(10)
        try:
            while conn.recv(4096):
                pass
        except OSError:
            pass


class TestMisScannedEscapes(HostileCase):
    """json-glib 1.6 swallows the character after a lone surrogate escape or a short \\u,
    so it would see structure the pre-parse check never counted."""

    def refused(self, greeting):
        path = os.path.join(self.tmp, 'evil.sock')
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.bind(path)
        sock.listen(1)
        server = threading.Thread(target=serve_greeting, args=(sock, greeting), daemon=True)
        server.start()
        try:
            res = self.verify('unix:' + path, '--timeout', '5')
        finally:
            server.join(5)
            sock.close()
        self.assertExit(res, EXIT_CONNECTION)
        self.assertOneErrorLine(res, 'malformed JSON')
        return res

    def test_lone_surrogate_hiding_deep_nesting(self):
        # json-glib reads "\udc00"" as one string, then recurses into 100 000 arrays
        res = self.refused(b'{"e":"\\udc00"","e":' + b'[' * 100000 + b'"}')
        self.assertIn('surrogate', res.err)

    def test_lone_surrogate_hiding_a_value_flood(self):
        res = self.refused(b'{"e":"\\udc00"","e":[' + b'0,' * 2000000 + b'0]"}')
        self.assertIn('surrogate', res.err)

    def test_short_unicode_escape_hiding_deep_nesting(self):
        res = self.refused(b'{"e":"\\u12"","e":' + b'[' * 100000 + b'"}')
        self.assertIn('escape', res.err)

if __name__ == '__main__':
    harness.main()
