#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""virt-qemu-sev-validate's option spellings, as its man page writes them.

Expected values are the published vectors (tests/data/VECTORS.md, harness.py).
"""

import base64
import hashlib
import os

import harness
from harness import LiveTestCase

EXIT_VERIFIED, EXIT_MISMATCH, EXIT_INPUT = 0, 1, 2
M_PARAMS = ['--api-major', '1', '--api-minor', '40', '--build-id', '40', '--policy', '3']
SECRET_DIR = os.path.join(harness.SEVCTL, 'secret')


class TestSpellings(LiveTestCase):

    def test_offline_verify_short_options(self):
        # virt-qemu-sev-validate -f FW -k KERNEL -r INITRD -e CMDLINE --tik ... --measurement ...
        res = self.sevlaunch('verify', '-f', harness.SEVCTL_FW, '-k', harness.KERNEL,
                             '-r', harness.INITRD, '-e', harness.CMDLINE, '--tik', self.tik,
                             '--measurement', harness.M4_BLOB, *M_PARAMS)
        self.assertExit(res, EXIT_VERIFIED)
        # the same spelling still tells a wrong kernel command line apart
        res = self.sevlaunch('verify', '-f', harness.SEVCTL_FW, '-k', harness.KERNEL,
                             '-r', harness.INITRD, '-e', harness.CMDLINE + ' ', '--tik', self.tik,
                             '--measurement', harness.M4_BLOB, *M_PARAMS)
        self.assertExit(res, EXIT_MISMATCH)

    def test_num_cpus_is_vcpus(self):
        both = self.sevlaunch('measure', '-f', harness.SEVCTL_FW, '--sev-es', '--num-cpus', '2',
                              '--vcpus', '2', '--cpu', 'EPYC-Milan')
        # one option under two names: the last one given counts, no error for "both"
        self.assertExit(both, 0)
        a = self.sevlaunch('measure', '-f', harness.SEVCTL_FW, '--sev-es', '--num-cpus', '2',
                           '--cpu', 'EPYC-Milan', '--json')
        b = self.sevlaunch('measure', '-f', harness.SEVCTL_FW, '--sev-es', '-n', '2',
                           '--cpu', 'EPYC-Milan', '--json')
        c = self.sevlaunch('measure', '-f', harness.SEVCTL_FW, '--sev-es', '--vcpus', '3',
                           '--cpu', 'EPYC-Milan', '--json')
        for r in (a, b, c):
            self.assertExit(r, 0)
        self.assertEqual(a.out, b.out)
        self.assertNotEqual(a.out, c.out)

    def test_secret_header_and_payload_files(self):
        # offline verify writes the packet files under virt-qemu-sev-validate's names, on a match
        peer = harness.load_peer_module()
        tik, tek = harness.read_bytes(self.s_tik), harness.read_bytes(self.s_tek)
        nonce = bytes(range(16))
        digest = hashlib.sha256(harness.read_bytes(harness.SEVCTL_FW)).digest()
        measurement = peer.launch_measurement(tik, 1, 40, 40, 3, digest, nonce)
        secret = self.private_copy(os.path.join(SECRET_DIR, 'secret1.txt'), 'secret1.txt')
        header, payload = os.path.join(self.tmp, 'h.b64'), os.path.join(self.tmp, 'p.b64')
        res = self.sevlaunch('verify', '-f', harness.SEVCTL_FW, '--tik', self.s_tik,
                             '--tek', self.s_tek, *M_PARAMS,
                             '--measurement', base64.b64encode(measurement + nonce).decode(),
                             '--inject-secret', '%s:%s' % (harness.S_GUID1, secret),
                             '--secret-header', header, '--secret-payload', payload)
        self.assertExit(res, EXIT_VERIFIED)
        plain = peer.open_secret_packet(tik, tek, base64.b64decode(harness.read_bytes(header)),
                                        base64.b64decode(harness.read_bytes(payload)), measurement)
        self.assertEqual(peer.parse_secret_table(plain),
                         {harness.S_GUID1: harness.read_bytes(secret)})

    def test_live_inject_secret(self):
        secret = self.private_copy(os.path.join(SECRET_DIR, 'secret1.txt'), 'secret1.txt')
        peer = self.start_peer('--tik', self.s_tik, '--tek', self.s_tek, '--firmware',
                               harness.SEVCTL_FW, '--api', '1.40', '--build', '40',
                               '--policy', '0x3')
        res = self.sevlaunch('verify', '--qmp', peer.address, '-f', harness.SEVCTL_FW,
                             '--tik', self.s_tik, '--tek', self.s_tek,
                             '--inject-secret', 'luks-key:%s' % secret)
        self.assertExit(res, EXIT_VERIFIED)
        peer.finish()
        inj = peer.injections()
        self.assertEqual(len(inj), 1, peer.log())
        self.assertEqual(list(inj[0]['injected']), [harness.S_GUID1])

    def test_insecure_is_not_an_option(self):
        # sevlaunch has no way to proceed insecurely: virt-qemu-sev-validate's -i is refused
        for flag in ('--insecure', '-i', '--ignore-config', '-g'):
            res = self.sevlaunch('verify', flag, '-f', harness.SEVCTL_FW, '--tik', self.tik,
                                 '--measurement', harness.M3_BLOB, *M_PARAMS)
            self.assertExit(res, EXIT_INPUT)
            self.assertOneErrorLine(res, flag)


if __name__ == '__main__':
    harness.main()
