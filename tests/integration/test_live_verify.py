#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""sevlaunch verify against qmp-peer.py: verdicts, SEV-ES, kernel hashes, faults."""

import base64
import hashlib
import json
import os
import re
import socket

import harness
from harness import LiveTestCase

EXIT_VERIFIED, EXIT_MISMATCH, EXIT_INPUT, EXIT_CONNECTION, EXIT_NOT_VERIFIABLE = 0, 1, 2, 3, 4

# M3's parameters: sevctl TIK and firmware, api 1.40, build 40, policy 0x3
M3_PEER = ['--api', '1.40', '--build', '40', '--policy', '0x3',
           '--firmware', harness.SEVCTL_FW, '--mnonce-hex', harness.M_MNONCE_HEX]
M5_MNONCE = base64.b64decode(harness.M5_BLOB)[32:].hex()
LEGACY_CPU = ['--cpu-family', '25', '--cpu-model', '1', '--cpu-stepping', '1',
              '--vmsa-variant', 'legacy']


def measurement_value(text, label):
    """The 32-byte value on the `label:` line, whether printed as hex or base64."""
    m = re.search(r'^\s*%s\s*:?\s*(\S+)' % re.escape(label), text, re.M | re.I)
    if not m:
        return None
    word = m.group(1)
    if re.fullmatch(r'[0-9a-fA-F]{64}', word):
        return bytes.fromhex(word)
    try:
        raw = base64.b64decode(word, validate=True)
    except ValueError:
        return word
    return raw[:32]


class VerifyCase(LiveTestCase):

    def sev_peer(self, *extra, **kwargs):
        return self.start_peer('--tik', self.tik, *(M3_PEER + list(extra)), **kwargs)

    def verify(self, peer_or_address, *extra, firmware=harness.SEVCTL_FW, keys=None):
        address = getattr(peer_or_address, 'address', peer_or_address)
        keys = keys if keys is not None else ['--tik', self.tik]
        return self.sevlaunch('verify', '--qmp', address, '--firmware', firmware,
                              *(keys + list(extra)))

    def assertVerifiedAndResumed(self, res, peer):
        self.assertExit(res, EXIT_VERIFIED)
        self.assertIn('verdict: verified', res.out)
        peer.finish()
        cmds = peer.commands()
        self.assertEqual(cmds.count('cont'), 1, cmds)
        self.assertIn('query-sev-launch-measure', cmds)
        self.assertGreater(cmds.index('cont'), cmds.index('query-sev-launch-measure'), cmds)
        self.assertEqual(cmds[0], 'qmp_capabilities', cmds)
        self.assertNotIn('quit', cmds)
        self.assertNotIn('sev-inject-launch-secret', cmds)

    def assertRefusedWithoutResume(self, res, peer, code, *keywords):
        self.assertExit(res, code)
        self.assertOneErrorLine(res, *keywords)
        self.assertNotIn('verdict: verified', res.out)
        peer.finish()
        self.assertNoResume(peer)
        self.assertNoSecretSent(peer)


class TestVerdicts(VerifyCase):

    def test_match_resumes_once_after_measure(self):
        peer = self.sev_peer()
        self.assertVerifiedAndResumed(self.verify(peer), peer)

    def test_match_qemu_72_form(self):
        peer = self.sev_peer('--qemu-version', '7.2')
        self.assertVerifiedAndResumed(self.verify(peer), peer)

    def test_match_qemu_91_form_random_mnonce(self):
        peer = self.start_peer('--tik', self.tik, '--firmware', harness.SEVCTL_FW,
                               '--qemu-version', '9.1')
        self.assertVerifiedAndResumed(self.verify(peer), peer)

    def test_match_over_tcp(self):
        peer = self.sev_peer(tcp=True)
        self.assertTrue(peer.address.startswith('tcp:127.0.0.1:'))
        self.assertVerifiedAndResumed(self.verify(peer), peer)

    def test_match_bare_socket_path(self):
        peer = self.sev_peer()
        self.assertVerifiedAndResumed(self.verify(peer.socket), peer)

    def test_match_with_tk_file(self):
        tk = self.write_private('tk.bin', b'\x5a' * 16 + harness.read_bytes(self.tik))
        peer = self.sev_peer()
        self.assertVerifiedAndResumed(self.verify(peer, keys=['--tk', tk]), peer)

    def test_match_with_tek_and_no_secret(self):
        # the operator's usual key pair: nothing is injected, so the TEK is not used
        peer = self.sev_peer()
        tek = self.write_private('tek.bin', b'\x5a' * 16)
        self.assertVerifiedAndResumed(self.verify(peer, keys=['--tik', self.tik, '--tek', tek]), peer)
        self.assertNoSecretSent(peer)

    def test_match_json(self):
        peer = self.sev_peer('--qemu-version', '7.2')
        res = self.verify(peer, '--json')
        self.assertExit(res, EXIT_VERIFIED)
        obj = res.json
        self.assertEqual(obj['verdict'], 'verified')
        self.assertEqual(obj['launch_digest'],
                         hashlib.sha256(harness.read_bytes(harness.SEVCTL_FW)).hexdigest())
        self.assertEqual(obj['measurement'], base64.b64decode(harness.M3_BLOB)[:32].hex())
        self.assertEqual(obj['mnonce'], harness.M_MNONCE_HEX)
        self.assertEqual(obj['guest'], {'state': 'launch-secret', 'api_major': 1, 'api_minor': 40,
                                        'build_id': 40, 'policy': 3, 'sev_mode': 'SEV',
                                        'vcpus': None})
        self.assertEqual(obj['qemu']['version'], '7.2.0')
        self.assertIs(obj['resumed'], True)
        self.assertEqual(obj['exit_code'], 0)
        self.assertNotIn('error', obj)
        self.assertVerifiedAndResumed(self.verify(self.sev_peer()), self.peers[-1])

    def test_match_verbose_and_expected_policy(self):
        peer = self.sev_peer()
        res = self.verify(peer, '--verbose', '--expect-policy', '0x3')
        self.assertVerifiedAndResumed(res, peer)

    def test_mismatch_tampered_firmware(self):
        peer = self.sev_peer('--tamper-firmware')
        res = self.verify(peer)
        self.assertExit(res, EXIT_MISMATCH)
        self.assertIn('verdict: mismatch', res.out)
        self.assertNotIn('verdict: verified', res.out)
        reported = measurement_value(res.out, 'measurement')
        self.assertIsNotNone(reported, res.out)
        # sevlaunch models the untampered firmware: its launch digest is the firmware's
        # sha256, and the measurement that would match is M3 exactly; that MAC must never
        # be shown, or a host reading the output could replay it as "verified"
        m3 = base64.b64decode(harness.M3_BLOB)[:32]
        self.assertNotEqual(reported, m3)
        self.assertIn('launch digest: ' + hashlib.sha256(harness.read_bytes(harness.SEVCTL_FW)).hexdigest(),
                      res.out)
        self.assertNotIn('expected', res.out)
        # the same run in JSON: the reported measurement, never the expected one
        peer = self.sev_peer('--tamper-firmware')
        obj = self.verify(peer, '--json').json
        self.assertEqual(obj['verdict'], 'mismatch')
        self.assertEqual(bytes.fromhex(obj['measurement']), reported)
        self.assertIs(obj['resumed'], False)
        self.assertNotIn(m3.hex(), json.dumps(obj))
        for text in (res.out, res.err):
            self.assertNotIn(m3.hex(), text)
            self.assertNotIn(base64.b64encode(m3).decode()[:40], text)
        peer.finish()
        self.assertNoResume(peer)
        self.assertNotIn('quit', peer.commands())

    def test_mismatch_on_mismatch_quit(self):
        peer = self.sev_peer('--tamper-firmware')
        res = self.verify(peer, '--on-mismatch', 'quit')
        self.assertExit(res, EXIT_MISMATCH)
        self.assertIn('verdict: mismatch', res.out)
        peer.finish()
        self.assertNoResume(peer)
        self.assertEqual(peer.commands().count('quit'), 1)

    def test_mismatch_on_mismatch_pause(self):
        peer = self.sev_peer('--tamper-firmware')
        res = self.verify(peer, '--on-mismatch', 'pause')
        self.assertExit(res, EXIT_MISMATCH)
        peer.finish()
        self.assertNoResume(peer)
        self.assertNotIn('quit', peer.commands())

    def test_mismatch_wrong_tik(self):
        other = self.write_private('other-tik.bin', bytes(range(16)))
        peer = self.sev_peer()
        res = self.verify(peer, keys=['--tik', other])
        self.assertExit(res, EXIT_MISMATCH)
        peer.finish()
        self.assertNoResume(peer)

    def test_mismatch_wrong_firmware(self):
        other = self.write_private('other.fd', harness.read_bytes(harness.SEVCTL_FW)[:-16] + b'\0' * 16)
        peer = self.sev_peer()
        # the last 32 bytes lie past the OVMF table footer: still a valid image
        res = self.verify(peer, firmware=other)
        self.assertExit(res, EXIT_MISMATCH)
        peer.finish()
        self.assertNoResume(peer)

    def test_no_resume(self):
        peer = self.sev_peer()
        res = self.verify(peer, '--no-resume')
        self.assertExit(res, EXIT_VERIFIED)
        self.assertIn('verdict: verified', res.out)
        peer.finish()
        self.assertIn('query-sev-launch-measure', peer.commands())
        self.assertNoResume(peer)
        self.assertNotIn('quit', peer.commands())

    def test_interleaved_events(self):
        peer = self.sev_peer('--interleave-events')
        self.assertVerifiedAndResumed(self.verify(peer), peer)

    def test_one_byte_writes(self):
        peer = self.sev_peer('--split-writes', '1')
        self.assertVerifiedAndResumed(self.verify(peer), peer)

    def test_one_byte_writes_and_events_qemu_72(self):
        peer = self.sev_peer('--split-writes', '1', '--interleave-events',
                             '--qemu-version', '7.2')
        self.assertVerifiedAndResumed(self.verify(peer), peer)

    def test_slow_peer_within_timeout(self):
        peer = self.sev_peer('--delay', '0.3')
        self.assertVerifiedAndResumed(self.verify(peer, '--timeout', '10'), peer)


class TestSevEs(VerifyCase):
    """M5's platform (api 1.49, build 6, policy 0x5) with 1, 2 and 4 vCPUs."""

    def es_peer(self, n, *extra):
        vmsas = ['--vmsa', harness.VMSA0] + ['--vmsa', harness.VMSA1] * (n - 1)
        return self.start_peer('--tik', self.tik, '--api', '1.49', '--build', '6',
                               '--policy', '0x5', '--firmware', harness.SEVCTL_FW,
                               '--mnonce-hex', M5_MNONCE, '--vcpus', n, *(vmsas + list(extra)))

    def vmsa_files(self):
        return ['--vmsa-cpu0', harness.VMSA0, '--vmsa-cpu1', harness.VMSA1]

    def run_matrix(self, cpu_args, give_vcpus):
        for n in (1, 2, 4):
            with self.subTest(vcpus=n, given=give_vcpus):
                peer = self.es_peer(n)
                extra = list(cpu_args) + (['--vcpus', n] if give_vcpus else [])
                res = self.verify(peer, *extra)
                self.assertVerifiedAndResumed(res, peer)
                if not give_vcpus:
                    self.assertIn('query-cpus-fast', peer.commands())

    def test_family_model_stepping_with_vcpus(self):
        self.run_matrix(LEGACY_CPU, True)

    def test_family_model_stepping_from_query_cpus_fast(self):
        self.run_matrix(LEGACY_CPU, False)

    def test_vmsa_files_with_vcpus(self):
        self.run_matrix(self.vmsa_files(), True)

    def test_vmsa_files_from_query_cpus_fast(self):
        self.run_matrix(self.vmsa_files(), False)

    def test_one_vcpu_needs_only_the_bsp_vmsa(self):
        # with one vCPU the AP VMSA is never measured: --vmsa-cpu0 alone is enough
        for give_vcpus in (True, False):
            with self.subTest(given=give_vcpus):
                peer = self.es_peer(1)
                res = self.verify(peer, '--vmsa-cpu0', harness.VMSA0, *(['--vcpus', 1] if give_vcpus else []))
                self.assertVerifiedAndResumed(res, peer)

    def test_two_vcpus_still_need_the_ap_vmsa(self):
        peer = self.es_peer(2)
        res = self.verify(peer, '--vmsa-cpu0', harness.VMSA0)
        self.assertExit(res, EXIT_INPUT)
        self.assertOneErrorLine(res, '2 vCPUs', '--vmsa-cpu1')
        peer.finish()
        self.assertNoSecretSent(peer)
        self.assertNoResume(peer)

    def test_m5_blob_exactly(self):
        # the published M5 blob, reported as is, verifies for 4 vCPUs
        peer = self.start_peer('--tik', self.tik, '--api', '1.49', '--build', '6',
                               '--policy', '0x5', '--launch-digest', harness.M5_LD,
                               '--report-blob', harness.M5_BLOB, '--vcpus', '4')
        self.assertVerifiedAndResumed(self.verify(peer, *LEGACY_CPU), peer)

    def test_cpu_signature(self):
        peer = self.es_peer(2)
        res = self.verify(peer, '--cpu-signature', '0xa00f11', '--vmsa-variant', 'legacy')
        self.assertVerifiedAndResumed(res, peer)

    def test_cpu_model_name(self):
        # QEMU's EPYC-Milan is family 25, model 1, stepping 1
        peer = self.es_peer(2)
        res = self.verify(peer, '--cpu', 'EPYC-Milan', '--vmsa-variant', 'legacy')
        self.assertVerifiedAndResumed(res, peer)

    def test_wrong_vcpu_count_is_mismatch(self):
        peer = self.es_peer(4)
        res = self.verify(peer, '--vcpus', '2', *LEGACY_CPU)
        self.assertExit(res, EXIT_MISMATCH)
        self.assertIn('verdict: mismatch', res.out)
        peer.finish()
        self.assertNoResume(peer)

    def test_wrong_cpu_is_mismatch(self):
        peer = self.es_peer(1)
        res = self.verify(peer, '--cpu-family', '23', '--cpu-model', '49',
                          '--cpu-stepping', '0', '--vmsa-variant', 'legacy')
        self.assertExit(res, EXIT_MISMATCH)
        peer.finish()
        self.assertNoResume(peer)

    def test_init2_variant_is_mismatch_for_legacy_vmsas(self):
        peer = self.es_peer(1)
        res = self.verify(peer, '--cpu-family', '25', '--cpu-model', '1',
                          '--cpu-stepping', '1', '--vmsa-variant', 'init2')
        self.assertExit(res, EXIT_MISMATCH)
        peer.finish()
        self.assertNoResume(peer)


class TestKernelHashes(VerifyCase):

    def kernel_args(self):
        return ['--kernel', harness.KERNEL, '--initrd', harness.INITRD,
                '--cmdline', harness.CMDLINE]

    def test_m4_match(self):
        peer = self.sev_peer(*self.kernel_args())
        self.assertVerifiedAndResumed(self.verify(peer, *self.kernel_args()), peer)

    def test_m4_published_digest(self):
        peer = self.start_peer('--tik', self.tik, '--api', '1.40', '--build', '40',
                               '--policy', '0x3', '--launch-digest', harness.M4_LD)
        self.assertVerifiedAndResumed(self.verify(peer, *self.kernel_args()), peer)

    def test_kernel_without_initrd_or_cmdline(self):
        peer = self.sev_peer('--kernel', harness.KERNEL)
        self.assertVerifiedAndResumed(self.verify(peer, '--kernel', harness.KERNEL), peer)

    def test_other_cmdline_is_mismatch(self):
        peer = self.sev_peer(*self.kernel_args())
        res = self.verify(peer, '--kernel', harness.KERNEL, '--initrd', harness.INITRD,
                          '--cmdline', harness.CMDLINE + ' init=/bin/sh')
        self.assertExit(res, EXIT_MISMATCH)
        peer.finish()
        self.assertNoResume(peer)

    def test_missing_kernel_is_mismatch(self):
        peer = self.sev_peer(*self.kernel_args())
        res = self.verify(peer)
        self.assertExit(res, EXIT_MISMATCH)
        peer.finish()
        self.assertNoResume(peer)


class TestFaults(VerifyCase):

    def test_drop_after_each_command(self):
        clean = self.sev_peer()
        self.assertVerifiedAndResumed(self.verify(clean), clean)
        sent = clean.commands()
        measured = sent.index('query-sev-launch-measure') + 1
        for n in range(len(sent)):
            with self.subTest(drop_after=n):
                peer = self.sev_peer('--drop-after', n)
                res = self.verify(peer)
                if n < measured:
                    self.assertRefusedWithoutResume(res, peer, EXIT_CONNECTION)
                    continue
                # verified, but the resume was never confirmed
                self.assertExit(res, EXIT_CONNECTION)
                self.assertIn('sevlaunch: ', res.err)
                peer.finish()
                self.assertNoResume(peer)

    def test_no_greeting(self):
        peer = self.sev_peer('--no-greeting')
        self.assertRefusedWithoutResume(self.verify(peer), peer, EXIT_CONNECTION)

    def test_garbage_measure(self):
        peer = self.sev_peer('--garbage')
        self.assertRefusedWithoutResume(self.verify(peer, '--timeout', '5'), peer,
                                        EXIT_CONNECTION)

    def test_bad_measure_length(self):
        peer = self.sev_peer('--bad-measure')
        self.assertRefusedWithoutResume(self.verify(peer), peer, EXIT_CONNECTION)

    def test_measure_not_base64(self):
        peer = self.sev_peer('--measure-data', 'not*base64!')
        self.assertRefusedWithoutResume(self.verify(peer), peer, EXIT_CONNECTION)

    def test_stray_replies(self):
        # dropping a reply nobody asked for and giving up on it are both safe;
        # resuming after giving up is not
        peer = self.sev_peer('--stray-reply')
        res = self.verify(peer)
        if res.returncode == EXIT_VERIFIED:
            self.assertVerifiedAndResumed(res, peer)
        else:
            self.assertRefusedWithoutResume(res, peer, EXIT_CONNECTION, 'unknown id')

    def test_event_storm(self):
        peer = self.sev_peer('--event-storm', '200')
        self.assertVerifiedAndResumed(self.verify(peer), peer)

    def test_error_without_id_ends_the_session(self):
        peer = self.sev_peer('--idless-error')
        self.assertRefusedWithoutResume(self.verify(peer), peer, EXIT_CONNECTION)

    def test_oversized_reply(self):
        peer = self.sev_peer('--huge-measure', '11')
        res = self.verify(peer, '--timeout', '20')
        self.assertRefusedWithoutResume(res, peer, EXIT_CONNECTION)

    def test_delay_beyond_timeout(self):
        peer = self.sev_peer('--delay', '8', '--delay-on', 'query-sev-launch-measure')
        res = self.verify(peer, '--timeout', '1')
        self.assertLess(res.elapsed, harness.scaled(6), 'sevlaunch did not give up at --timeout')
        self.assertRefusedWithoutResume(res, peer, EXIT_CONNECTION)

    def test_sev_disabled(self):
        for version in ('7.2', '9.1'):
            with self.subTest(qemu=version):
                peer = self.start_peer('--sev-disabled', '--qemu-version', version)
                res = self.verify(peer)
                self.assertRefusedWithoutResume(res, peer, EXIT_NOT_VERIFIABLE,
                                                'SEV is not enabled')

    def test_qemu_without_sev(self):
        peer = self.start_peer('--sev-unavailable')
        res = self.verify(peer)
        self.assertIn(res.returncode, (EXIT_CONNECTION, EXIT_NOT_VERIFIABLE), res.err)
        peer.finish()
        self.assertNoResume(peer)

    def test_wrong_state(self):
        for state in ('running', 'launch-update', 'uninit'):
            with self.subTest(state=state):
                peer = self.sev_peer('--state', state)
                res = self.verify(peer)
                self.assertRefusedWithoutResume(res, peer, EXIT_NOT_VERIFIABLE, state)

    def test_sev_snp(self):
        peer = self.sev_peer('--sev-type', 'sev-snp')
        res = self.verify(peer)
        self.assertRefusedWithoutResume(res, peer, EXIT_NOT_VERIFIABLE,
                                        'SEV-SNP guests are attested from inside the guest')

    def test_expect_policy_differs(self):
        peer = self.sev_peer()
        res = self.verify(peer, '--expect-policy', '0x1')
        self.assertRefusedWithoutResume(res, peer, EXIT_NOT_VERIFIABLE)

    def test_measure_error_reply(self):
        peer = self.sev_peer('--error-on', 'query-sev-launch-measure')
        res = self.verify(peer)
        self.assertIn(res.returncode, (EXIT_CONNECTION, EXIT_NOT_VERIFIABLE), res.err)
        peer.finish()
        self.assertNoResume(peer)

    def test_cont_refused(self):
        peer = self.sev_peer('--error-on', 'cont')
        res = self.verify(peer)
        self.assertNotIn(res.returncode, (EXIT_VERIFIED, EXIT_MISMATCH), res.err)
        self.assertTrue(res.err.strip(), 'a failed cont must be reported')

    def test_peer_not_listening(self):
        res = self.verify('unix:' + os.path.join(self.tmp, 'nobody.sock'))
        self.assertExit(res, EXIT_CONNECTION)
        self.assertOneErrorLine(res)

    def test_stale_socket_file(self):
        path = os.path.join(self.tmp, 'stale.sock')
        s = socket.socket(socket.AF_UNIX)
        s.bind(path)
        s.close()
        res = self.verify('unix:' + path)
        self.assertExit(res, EXIT_CONNECTION)

    def test_wait_for_late_peer(self):
        peer = self.sev_peer(delay_start=1.0, wait_ready=False)
        res = self.verify(peer, '--wait', '15')
        self.assertVerifiedAndResumed(res, peer)
        self.assertGreater(res.elapsed, 0.5)

    def test_wait_gives_up(self):
        res = self.verify('unix:' + os.path.join(self.tmp, 'never.sock'), '--wait', '1')
        self.assertExit(res, EXIT_CONNECTION)
        self.assertLess(res.elapsed, harness.scaled(10))


class TestUsage(VerifyCase):
    """Input errors: exit 2, and the guest is never touched."""

    def assertUsage(self, res, peer, *keywords):
        self.assertExit(res, EXIT_INPUT)
        self.assertOneErrorLine(res, *keywords)
        peer.stop()
        self.assertEqual(peer.commands(), [])

    def test_missing_firmware_file(self):
        peer = self.sev_peer()
        res = self.verify(peer, firmware=os.path.join(self.tmp, 'absent.fd'))
        self.assertUsage(res, peer)

    def test_missing_keys(self):
        peer = self.sev_peer()
        self.assertUsage(self.verify(peer, keys=[]), peer)

    def test_tik_and_tk(self):
        tk = self.write_private('tk.bin', b'\1' * 32)
        peer = self.sev_peer()
        self.assertUsage(self.verify(peer, keys=['--tik', self.tik, '--tk', tk]), peer)

    def test_tik_wrong_size(self):
        short = self.write_private('short.bin', b'\1' * 15)
        peer = self.sev_peer()
        self.assertUsage(self.verify(peer, keys=['--tik', short]), peer)

    def test_tik_open_permissions(self):
        open_tik = self.private_copy(self.tik, 'open-tik.bin', mode=0o644)
        peer = self.sev_peer()
        self.assertUsage(self.verify(peer, keys=['--tik', open_tik]), peer)
        peer = self.sev_peer()
        res = self.verify(peer, '--allow-open-permissions', keys=['--tik', open_tik])
        self.assertVerifiedAndResumed(res, peer)

    def test_bad_address(self):
        # a bare path may hold a colon; these are malformed on their face
        for address in ('tcp:127.0.0.1', 'tcp:127.0.0.1:notaport', 'tcp:127.0.0.1:99999',
                        'unix:', ''):
            with self.subTest(address=address):
                peer = self.sev_peer()
                self.assertUsage(self.verify(address), peer)

    def test_ap_vmsa_without_bsp_vmsa(self):
        # --vmsa-cpu0 alone is enough for one vCPU; --vmsa-cpu1 alone never is
        peer = self.sev_peer()
        self.assertUsage(self.verify(peer, '--vmsa-cpu1', harness.VMSA1), peer, '--vmsa-cpu0')

    def test_bad_on_mismatch(self):
        peer = self.sev_peer()
        self.assertUsage(self.verify(peer, '--on-mismatch', 'explode'), peer)

    def test_initrd_without_kernel(self):
        peer = self.sev_peer()
        self.assertUsage(self.verify(peer, '--initrd', harness.INITRD), peer)


class TestRunState(VerifyCase):
    """A guest whose vCPUs already ran (a plain virsh start) cannot be verified."""

    def test_running_guest_refused_before_any_sev_command(self):
        for status in ('running', 'paused'):
            with self.subTest(status=status):
                peer = self.sev_peer('--run-status', status)
                res = self.verify(peer)
                self.assertRefusedWithoutResume(res, peer, EXIT_NOT_VERIFIABLE,
                                                "'%s'" % status, 'virsh start --paused')
                cmds = peer.commands()
                self.assertIn('query-status', cmds)
                self.assertNotIn('query-sev-launch-measure', cmds)
                self.assertNotIn('quit', cmds)

    def test_prelaunch_asked_before_sev(self):
        peer = self.sev_peer()
        self.assertVerifiedAndResumed(self.verify(peer), peer)
        cmds = peer.commands()
        self.assertLess(cmds.index('query-status'), cmds.index('query-sev'), cmds)


if __name__ == '__main__':
    harness.main()
