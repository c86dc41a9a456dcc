#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""sevlaunch against a real, paused qemu-system-x86_64 (TCG, no SEV)."""

import os
import shutil
import subprocess
import time
import unittest

import harness
from harness import LiveTestCase
from qmpclient import QmpClient

QEMU = shutil.which('qemu-system-x86_64')


@unittest.skipUnless(QEMU, 'qemu-system-x86_64 is not installed')
@unittest.skipUnless(os.path.exists(harness.DEBIAN_OVMF), 'Debian OVMF is not installed')
class TestRealQemu(LiveTestCase):

    def setUp(self):
        super().setUp()
        self.sock = os.path.join(self.tmp, 'qemu.sock')
        self.qemu_err = open(os.path.join(self.tmp, 'qemu.stderr'), 'wb')
        self.qemu = subprocess.Popen(
            [QEMU, '-S', '-display', 'none', '-machine', 'q35', '-nodefaults',
             '-accel', 'tcg', '-m', '128', '-bios', harness.DEBIAN_OVMF,
             '-qmp', 'unix:%s,server=on,wait=off' % self.sock],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self.qemu_err)
        deadline = time.monotonic() + 20
        while not os.path.exists(self.sock):
            if self.qemu.poll() is not None:
                self.fail('qemu exited early: %s' % self.qemu_stderr())
            if time.monotonic() > deadline:
                self.fail('qemu did not create its QMP socket')
            time.sleep(0.05)

    def tearDown(self):
        if self.qemu.poll() is None:
            self.qemu.kill()
            self.qemu.wait()
        self.qemu_err.close()
        super().tearDown()

    def qemu_stderr(self):
        self.qemu_err.flush()
        return harness.read_bytes(os.path.join(self.tmp, 'qemu.stderr')).decode(errors='replace')

    def still_paused_then_quit(self):
        with QmpClient('unix:' + self.sock) as c:
            status = c.command('query-status')
            self.assertFalse(status['running'], status)
            self.assertEqual(status['status'], 'prelaunch')
            self.assertNotIn('RESUME', [e['event'] for e in c.events])
            self.assertEqual(c.command('quit'), {})
        self.assertEqual(self.qemu.wait(timeout=20), 0)

    def test_sev_not_enabled(self):
        res = self.sevlaunch('verify', '--qmp', 'unix:' + self.sock,
                             '--firmware', harness.DEBIAN_OVMF, '--tik', self.tik)
        self.assertExit(res, 4)
        self.assertOneErrorLine(res, 'SEV is not enabled')
        self.assertNotIn('verdict: verified', res.out)
        self.still_paused_then_quit()

    def test_sev_not_enabled_with_wait_and_secret(self):
        secret = self.private_copy(os.path.join(harness.SEVCTL, 'secret', 'secret1.txt'),
                                   'secret1.txt')
        res = self.sevlaunch('verify', '--qmp', self.sock, '--wait', '5', '--timeout', '10',
                             '--firmware', harness.DEBIAN_OVMF, '--tik', self.s_tik,
                             '--tek', self.s_tek, '--secret-gpa', '0x820000',
                             '--secret', '%s:%s' % (harness.S_GUID1, secret),
                             '--on-mismatch', 'quit')
        self.assertExit(res, 4)
        self.assertOneErrorLine(res, 'SEV is not enabled')
        self.still_paused_then_quit()

    def test_split_launch_host_side(self):
        # query: real QEMU's own refusal, as the JSON error object; nothing changed in the VM
        res = self.sevlaunch('query', '--qmp', 'unix:' + self.sock)
        self.assertExit(res, 4)
        self.assertEqual(res.json['error']['class'], 'not-verifiable')
        self.assertOneErrorLine(res, 'SEV')
        # certs/session --qmp: query-sev-capabilities answers an error without SEV
        res = self.sevlaunch('certs', '--qmp', 'unix:' + self.sock, '--json')
        self.assertExit(res, 4)
        self.assertEqual(res.json['error']['class'], 'not-verifiable')
        self.still_paused_then_quit()


if __name__ == '__main__':
    harness.main()
