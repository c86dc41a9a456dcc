#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""sevlaunch verify --secret against qmp-peer.py, which opens the packet itself."""

import base64
import os
import unittest

import harness
from harness import LiveTestCase

EXIT_VERIFIED, EXIT_MISMATCH, EXIT_INPUT, EXIT_REFUSED = 0, 1, 2, 5
SECRET_DIR = os.path.join(harness.SEVCTL, 'secret')
# the sevctl firmware's OVMF table puts the secret area at 0x80c000
SEVCTL_SECRET_BASE = 0x80c000


class SecretCase(LiveTestCase):

    def setUp(self):
        super().setUp()
        self.secret1 = self.private_copy(os.path.join(SECRET_DIR, 'secret1.txt'), 'secret1.txt')
        self.secret2 = self.private_copy(os.path.join(SECRET_DIR, 'secret2.txt'), 'secret2.txt')

    def peer(self, *extra, firmware=harness.SEVCTL_FW):
        return self.start_peer('--tik', self.s_tik, '--tek', self.s_tek, '--firmware', firmware,
                               '--api', '1.40', '--build', '40', '--policy', '0x3', *extra)

    def verify(self, peer, *extra, firmware=harness.SEVCTL_FW, keys=None):
        keys = keys if keys is not None else ['--tik', self.s_tik, '--tek', self.s_tek]
        return self.sevlaunch('verify', '--qmp', peer.address, '--firmware', firmware,
                              *(keys + list(extra)))

    def assertDelivered(self, res, peer, expect, gpa=SEVCTL_SECRET_BASE):
        self.assertExit(res, EXIT_VERIFIED)
        self.assertIn('verdict: verified', res.out)
        peer.finish()
        cmds = peer.commands()
        self.assertEqual(cmds.count('sev-inject-launch-secret'), 1, cmds)
        self.assertEqual(cmds.count('cont'), 1, cmds)
        self.assertLess(cmds.index('query-sev-launch-measure'),
                        cmds.index('sev-inject-launch-secret'), cmds)
        self.assertLess(cmds.index('sev-inject-launch-secret'), cmds.index('cont'), cmds)
        inj = peer.injections()
        self.assertEqual(len(inj), 1, peer.log())
        self.assertEqual(inj[0]['injected'], {g: v.hex() for g, v in expect.items()})
        self.assertEqual(inj[0]['gpa'], gpa)
        # secrets never reach the terminal
        for value in expect.values():
            self.assertNotIn(value.decode('latin-1'), res.out + res.err)

    def assertNothingSent(self, res, peer, code=EXIT_INPUT):
        self.assertExit(res, code)
        self.assertOneErrorLine(res)
        peer.stop()
        self.assertNoSecretSent(peer)
        self.assertNoResume(peer)


class TestDelivery(SecretCase):

    def test_s1_secret_delivered_then_cont(self):
        peer = self.peer()
        res = self.verify(peer, '--secret', '%s:%s' % (harness.S_GUID1, self.secret1))
        self.assertDelivered(res, peer, {harness.S_GUID1: b'MY-LUKS-PASSPHRASE'})

    def test_two_secrets(self):
        peer = self.peer('--qemu-version', '7.2')
        res = self.verify(peer, '--secret', '%s:%s' % (harness.S_GUID1, self.secret1),
                          '--secret', '%s:%s' % (harness.S_GUID2, self.secret2))
        self.assertDelivered(res, peer, {harness.S_GUID1: b'MY-LUKS-PASSPHRASE',
                                         harness.S_GUID2: b'SOME OTHER SECRET'})

    def test_luks_key_alias(self):
        # libvirt's virt-qemu-sev-validate names this GUID luks-key
        peer = self.peer()
        res = self.verify(peer, '--secret', 'luks-key:%s' % self.secret1)
        self.assertDelivered(res, peer, {'736869e5-84f0-4973-92ec-06879ce3da0b':
                                         b'MY-LUKS-PASSPHRASE'})

    def test_secret_with_tk_file(self):
        tk = self.write_private('tk.bin', harness.read_bytes(self.s_tek)
                                + harness.read_bytes(self.s_tik))
        peer = self.peer()
        res = self.verify(peer, '--secret', '%s:%s' % (harness.S_GUID2, self.secret2),
                          keys=['--tk', tk])
        self.assertDelivered(res, peer, {harness.S_GUID2: b'SOME OTHER SECRET'})

    def test_secret_sev_es(self):
        peer = self.peer('--policy', '0x5', '--api', '1.49', '--build', '6', '--vmsa',
                         harness.VMSA0, '--vmsa', harness.VMSA1)
        res = self.verify(peer, '--secret', '%s:%s' % (harness.S_GUID1, self.secret1),
                          '--vmsa-cpu0', harness.VMSA0, '--vmsa-cpu1', harness.VMSA1)
        self.assertDelivered(res, peer, {harness.S_GUID1: b'MY-LUKS-PASSPHRASE'})

    def test_secret_through_split_writes_and_events(self):
        peer = self.peer('--split-writes', '3', '--interleave-events')
        res = self.verify(peer, '--secret', '%s:%s' % (harness.S_GUID1, self.secret1))
        self.assertDelivered(res, peer, {harness.S_GUID1: b'MY-LUKS-PASSPHRASE'})

    def test_verbose_keeps_keys_and_secrets_out(self):
        peer = self.peer()
        res = self.verify(peer, '--verbose',
                          '--secret', '%s:%s' % (harness.S_GUID1, self.secret1))
        self.assertDelivered(res, peer, {harness.S_GUID1: b'MY-LUKS-PASSPHRASE'})
        text = (res.out + res.err).lower()
        for key in (self.s_tik, self.s_tek):
            raw = harness.read_bytes(key)
            self.assertNotIn(raw.hex(), text)
            self.assertNotIn(base64.b64encode(raw).decode().lower(), text)

    def test_mismatch_never_injects(self):
        for extra in ([], ['--on-mismatch', 'quit']):
            with self.subTest(extra=extra):
                peer = self.peer('--tamper-firmware')
                res = self.verify(peer, '--secret', '%s:%s' % (harness.S_GUID1, self.secret1),
                                  *extra)
                self.assertExit(res, EXIT_MISMATCH)
                self.assertIn('verdict: mismatch', res.out)
                peer.finish()
                self.assertNoSecretSent(peer)
                self.assertNoResume(peer)

    def test_qemu_refuses_injection(self):
        peer = self.peer('--refuse-inject')
        res = self.verify(peer, '--secret', '%s:%s' % (harness.S_GUID1, self.secret1))
        self.assertExit(res, EXIT_REFUSED)
        self.assertOneErrorLine(res)
        peer.finish()
        self.assertIn('sev-inject-launch-secret', peer.commands())
        self.assertEqual(peer.injections(), [])
        self.assertNoResume(peer)

    def test_connection_lost_at_injection(self):
        clean = self.peer()
        res = self.verify(clean, '--secret', '%s:%s' % (harness.S_GUID1, self.secret1))
        self.assertExit(res, EXIT_VERIFIED)
        clean.finish()
        before_inject = clean.commands().index('sev-inject-launch-secret')
        peer = self.peer('--drop-after', before_inject)
        res = self.verify(peer, '--secret', '%s:%s' % (harness.S_GUID1, self.secret1))
        self.assertExit(res, 3)
        peer.finish()
        self.assertNoResume(peer)


@unittest.skipUnless(os.path.exists(harness.DEBIAN_OVMF), 'Debian OVMF not installed')
class TestDebianOvmf(SecretCase):
    """OvmfPkgX64 publishes a secret area at base 0: QEMU would write there."""

    def test_no_gpa_refused_before_anything_is_sent(self):
        peer = self.peer(firmware=harness.DEBIAN_OVMF)
        res = self.verify(peer, '--secret', '%s:%s' % (harness.S_GUID1, self.secret1),
                          firmware=harness.DEBIAN_OVMF)
        self.assertNothingSent(res, peer)

    def test_explicit_gpa_accepted(self):
        peer = self.peer(firmware=harness.DEBIAN_OVMF)
        res = self.verify(peer, '--secret', '%s:%s' % (harness.S_GUID1, self.secret1),
                          '--secret-gpa', '0x820000', firmware=harness.DEBIAN_OVMF)
        self.assertDelivered(res, peer, {harness.S_GUID1: b'MY-LUKS-PASSPHRASE'},
                             gpa=0x820000)

    def test_verify_without_secret_still_fine(self):
        peer = self.peer(firmware=harness.DEBIAN_OVMF)
        res = self.verify(peer, firmware=harness.DEBIAN_OVMF, keys=['--tik', self.s_tik])
        self.assertExit(res, EXIT_VERIFIED)
        peer.finish()
        self.assertEqual(peer.commands().count('cont'), 1)

    def test_tek_without_secret_is_not_used(self):
        # the key pair passed as on every launch: with nothing to inject the TEK is not used
        peer = self.peer(firmware=harness.DEBIAN_OVMF)
        res = self.verify(peer, firmware=harness.DEBIAN_OVMF)
        self.assertExit(res, EXIT_VERIFIED)
        peer.finish()
        self.assertNoSecretSent(peer)
        self.assertEqual(peer.commands().count('cont'), 1, peer.commands())


class TestBadSecretInput(SecretCase):
    """Refused with exit 2 and nothing injected, nothing resumed."""

    def check(self, *secret_args, keys=None):
        peer = self.peer()
        res = self.verify(peer, *secret_args, keys=keys)
        self.assertNothingSent(res, peer)
        return res

    def test_unknown_alias(self):
        self.check('--secret', 'no-such-alias:%s' % self.secret1)

    def test_malformed_guid(self):
        for bad in ('736869e5-84f0-4973-92ec-06879ce3da0', '736869e5-84f0-4973-92ec-06879ce3da0bz',
                    'zz6869e5-84f0-4973-92ec-06879ce3da0b', '736869e584f0497392ec06879ce3da0b-'):
            with self.subTest(guid=bad):
                self.check('--secret', '%s:%s' % (bad, self.secret1))

    def test_missing_colon_or_file(self):
        self.check('--secret', harness.S_GUID1)
        self.check('--secret', '%s:' % harness.S_GUID1)

    def test_duplicate_guid(self):
        self.check('--secret', '%s:%s' % (harness.S_GUID1, self.secret1),
                   '--secret', '%s:%s' % (harness.S_GUID1.upper(), self.secret2))

    def test_empty_file(self):
        empty = self.write_private('empty.txt', b'')
        self.check('--secret', '%s:%s' % (harness.S_GUID1, empty))

    def test_unreadable_file(self):
        self.check('--secret', '%s:%s' % (harness.S_GUID1, os.path.join(self.tmp, 'absent.txt')))
        self.check('--secret', '%s:%s' % (harness.S_GUID1, self.tmp))

    def test_open_permissions(self):
        open_secret = self.private_copy(self.secret1, 'open-secret.txt', mode=0o644)
        res = self.check('--secret', '%s:%s' % (harness.S_GUID1, open_secret))
        self.assertNotIn('MY-LUKS', res.out + res.err)
        peer = self.peer()
        res = self.verify(peer, '--secret', '%s:%s' % (harness.S_GUID1, open_secret),
                          '--allow-open-permissions')
        self.assertDelivered(res, peer, {harness.S_GUID1: b'MY-LUKS-PASSPHRASE'})

    def test_secret_without_tek(self):
        self.check('--secret', '%s:%s' % (harness.S_GUID1, self.secret1),
                   keys=['--tik', self.s_tik])

    def test_tek_open_permissions(self):
        open_tek = self.private_copy(self.s_tek, 'open-tek.bin', mode=0o640)
        self.check('--secret', '%s:%s' % (harness.S_GUID1, self.secret1),
                   keys=['--tik', self.s_tik, '--tek', open_tek])

    def test_bad_secret_gpa(self):
        for gpa in ('banana', '-1', '0x1ffffffffffffffff'):
            with self.subTest(gpa=gpa):
                self.check('--secret', '%s:%s' % (harness.S_GUID1, self.secret1),
                           '--secret-gpa', gpa)


if __name__ == '__main__':
    harness.main()
