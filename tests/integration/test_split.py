#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Owner and host apart: query on the host, verify --launch-state with the owner, inject.

The peer (qmp-peer.py) holds the TIK and TEK as the SEV firmware would and opens the injected
packet with its own code; expected values come from the peer's log, the fixtures or this file's
own crypto, never from sevlaunch. Every JSON document is validated against docs/json.
"""

import base64
import json
import os
import subprocess
import sys

from cryptography.hazmat.primitives.asymmetric import ec

import harness
import jsonschemas
from test_cli_owner import godh_public_key, kdf, pdh_cert

ROME = os.path.join(harness.DATA, 'amd-certs', 'chains', 'rome')
CPU0_ID = bytes(range(64))
STATE_CHANGING = {'cont', 'stop', 'quit', 'sev-inject-launch-secret', 'system_reset'}
SECRET = b'correct horse battery staple'


class SplitCase(harness.LiveTestCase):

    def setUp(self):
        super().setUp()
        self.secret = self.write_private('luks.bin', SECRET)

    def host(self, *extra, serve=1):
        return self.start_peer('--api', '1.40', '--build', '40', '--policy', '0x3',
                               '--qemu-version', '7.2', '--firmware', harness.SEVCTL_FW,
                               '--tik', self.s_tik, '--tek', self.s_tek,
                               '--platform-chain', ROME, '--cpu0-id', CPU0_ID.hex(),
                               '--serve', serve, *extra)

    def query(self, peer):
        res = self.sevlaunch('query', '--qmp', peer.address)
        self.assertExit(res, 0)
        return res

    def owner_verify(self, state_path, *extra, input=None):
        return self.sevlaunch('verify', '--launch-state', state_path, '--firmware', harness.SEVCTL_FW,
                              '--tik', self.s_tik, '--tek', self.s_tek,
                              '--secret', 'luks-key:' + self.secret, *extra, input=input)

    def save(self, name, data):
        path = os.path.join(self.tmp, name)
        with open(path, 'wb') as f:
            f.write(data)
        return path


class TestQuery(SplitCase):

    def test_launch_state(self):
        peer = self.host()
        res = self.query(peer)
        state = res.json  # validated against docs/json/query.schema.json
        blob = base64.b64decode(state['launch_measure']['data'])
        self.assertEqual(state['guest'], {'state': 'launch-secret', 'sev_mode': 'SEV',
                                          'api_major': 1, 'api_minor': 40, 'build_id': 40,
                                          'policy': 3, 'vcpus': 1})
        self.assertEqual(state['launch_measure']['measurement'], blob[:32].hex())
        self.assertEqual(state['launch_measure']['mnonce'], blob[32:].hex())
        self.assertEqual(state['qemu']['version'], '7.2.0')
        plat = state['platform']
        self.assertEqual(base64.b64decode(plat['pdh']), harness.read_bytes(os.path.join(ROME, 'pdh.cert')))
        self.assertEqual(base64.b64decode(plat['cert_chain']),
                         b''.join(harness.read_bytes(os.path.join(ROME, n + '.cert'))
                                  for n in ('pek', 'oca', 'cek')))
        self.assertEqual(plat['cpu0_id'], CPU0_ID.hex())
        self.assertEqual((plat['cbitpos'], plat['reduced_phys_bits']), (47, 1))
        peer.finish()
        # nothing that changes the VM: only queries went out
        cmds = peer.commands()
        self.assertEqual([c for c in cmds if c in STATE_CHANGING or not c.startswith(('query-', 'qmp_'))], [])
        self.assertIn('query-sev-launch-measure', cmds)

    def test_without_capabilities(self):
        # QEMU 6.2: no cpu0-id; and a QEMU that cannot answer query-sev-capabilities
        peer = self.start_peer('--tik', self.s_tik, '--firmware', harness.SEVCTL_FW,
                               '--qemu-version', '6.2', '--platform-chain', ROME)
        self.assertIsNone(self.query(peer).json['platform']['cpu0_id'])
        peer = self.start_peer('--tik', self.s_tik, '--firmware', harness.SEVCTL_FW)
        self.assertIsNone(self.query(peer).json['platform'])

    def test_not_verifiable_exit_4(self):
        for extra in (['--sev-disabled'], ['--state', 'running'], ['--run-status', 'running'],
                      ['--sev-type', 'sev-snp']):
            peer = self.start_peer('--tik', self.s_tik, '--firmware', harness.SEVCTL_FW, *extra)
            res = self.sevlaunch('query', '--qmp', peer.address)
            self.assertExit(res, 4)
            self.assertEqual(res.json['error']['class'], 'not-verifiable')
            self.assertOneErrorLine(res)
            peer.finish()
            self.assertNoResume(peer)
            self.assertNoSecretSent(peer)

    def test_text(self):
        peer = self.host()
        res = self.sevlaunch('query', '--qmp', peer.address, '--text')
        self.assertExit(res, 0)
        self.assertIn('\nlaunch measure:\n  data: ', res.out)


class TestThreeSteps(SplitCase):

    def test_files(self):
        peer = self.host(serve=2)
        state = self.save('state.json', self.query(peer).stdout)
        packet_path = os.path.join(self.tmp, 'packet.json')
        res = self.owner_verify(state, '--packet-out', packet_path, '--json')
        self.assertExit(res, 0)
        self.assertEqual(res.json['verdict'], 'verified')
        self.assertEqual(res.json['packet'], {'path': packet_path, 'secrets': [harness.S_GUID1]})
        packet = jsonschemas.validate_file(packet_path, 'packet')
        # readable by its owner only, like the header and payload files
        self.assertEqual(os.stat(packet_path).st_mode & 0o777, 0o600)
        state_obj = json.loads(harness.read_bytes(state))
        self.assertEqual(packet['measurement'], state_obj['launch_measure']['measurement'])
        self.assertEqual(packet['mnonce'], state_obj['launch_measure']['mnonce'])
        self.assertNoSecretSent(peer)  # the owner talked to nobody
        # an existing packet is never replaced without --force
        before = harness.read_bytes(packet_path)
        res = self.owner_verify(state, '--packet-out', packet_path, '--json')
        self.assertExit(res, 2)
        self.assertEqual(res.json['error']['class'], 'exists')
        self.assertEqual(harness.read_bytes(packet_path), before)
        res = self.owner_verify(state, '--packet-out', packet_path, '--force')
        self.assertExit(res, 0)
        self.assertNotEqual(harness.read_bytes(packet_path), before)  # a fresh IV
        res = self.sevlaunch('inject', '--qmp', peer.address, '--packet', packet_path, '--json')
        self.assertExit(res, 0)
        self.assertEqual((res.json['injected'], res.json['resumed'], res.json['bound_to_this_launch']),
                         (True, True, True))
        peer.finish()
        # the peer opened the packet with its own TIK/TEK and found exactly our secret
        injected = peer.injections()
        self.assertEqual(len(injected), 1)
        self.assertEqual(injected[0]['injected'], {harness.S_GUID1: SECRET.hex()})
        cmds = peer.commands()
        self.assertGreater(cmds.index('cont'), cmds.index('sev-inject-launch-secret'))

    def test_pipeline_stdin_stdout(self):
        peer = self.host(serve=2)
        state = self.query(peer).stdout
        res = self.owner_verify('-', '--packet-out', '-', input=state)
        self.assertExit(res, 0)
        self.assertEqual(res.err, '')
        self.assertEqual(res.json['document'], 'packet')  # stdout is the packet alone
        res = self.sevlaunch('inject', '--qmp', peer.address, '--packet', '-', '--no-resume',
                             '--secret-gpa', '0x80c000', input=res.stdout)
        self.assertExit(res, 0)
        peer.finish()
        self.assertEqual(peer.injections()[0]['gpa'], 0x80c000)
        self.assertNoResume(peer)

    def test_mismatch_writes_no_packet(self):
        peer = self.host('--tamper-firmware')
        state = self.save('state.json', self.query(peer).stdout)
        packet_path = os.path.join(self.tmp, 'packet.json')
        res = self.owner_verify(state, '--packet-out', packet_path, '--json')
        self.assertExit(res, 1)
        self.assertEqual(res.json['verdict'], 'mismatch')
        self.assertNotIn('packet', res.json)
        self.assertFalse(os.path.exists(packet_path))
        self.assertEqual(sorted(os.listdir(self.tmp)), sorted(n for n in os.listdir(self.tmp)
                                                              if 'packet' not in n))
        res = self.owner_verify(state, '--packet-out', '-', input=None)
        self.assertExit(res, 1)
        self.assertEqual(res.stdout, b'')
        self.assertOneErrorLine(res, 'mismatch')

    def test_expect_policy_is_enforced(self):
        # the host's document says policy 0x3; an owner who expects another gets no packet
        peer = self.host()
        state = self.save('state.json', self.query(peer).stdout)
        packet_path = os.path.join(self.tmp, 'packet.json')
        res = self.owner_verify(state, '--packet-out', packet_path, '--expect-policy', '0x7',
                                '--json')
        self.assertExit(res, 4)
        self.assertEqual(res.json['error']['class'], 'not-verifiable')
        self.assertOneErrorLine(res, '0x3', '--expect-policy', '0x7')
        self.assertNotIn('packet', res.json)
        self.assertFalse(os.path.exists(packet_path))
        res = self.owner_verify(state, '--packet-out', packet_path, '--expect-policy', '3')
        self.assertExit(res, 0)
        self.assertTrue(os.path.exists(packet_path))

    def test_live_only_options_refused(self):
        # options that only a live run uses are refused, not silently ignored
        peer = self.host()
        state = self.save('state.json', self.query(peer).stdout)
        packet_path = os.path.join(self.tmp, 'packet.json')
        for extra in (['--on-mismatch', 'quit'], ['--timeout', '5'], ['--wait', '1'],
                      ['--no-resume'], ['--qmp-tls-creds', self.tmp],
                      ['--qmp-tls-hostname', 'host'], ['--domain', 'guest1'],
                      ['--connect', 'qemu:///system']):
            with self.subTest(option=extra[0]):
                res = self.owner_verify(state, '--packet-out', packet_path, *extra)
                self.assertExit(res, 2)
                self.assertOneErrorLine(res, extra[0])
                self.assertFalse(os.path.exists(packet_path))

    def test_packet_for_another_launch_refused(self):
        first = self.host()
        state = self.save('state.json', self.query(first).stdout)
        packet_path = os.path.join(self.tmp, 'packet.json')
        self.assertExit(self.owner_verify(state, '--packet-out', packet_path), 0)
        # QEMU restarted: same guest, a fresh MNONCE, so another measurement
        second = self.host()
        res = self.sevlaunch('inject', '--qmp', second.address, '--packet', packet_path, '--json')
        self.assertExit(res, 1)
        self.assertIs(res.json['bound_to_this_launch'], False)
        self.assertEqual(res.json['error']['class'], 'mismatch')
        self.assertOneErrorLine(res, 'another launch', 'nothing sent')
        second.finish()
        self.assertNoSecretSent(second)
        self.assertNoResume(second)

    def test_refused_injection_exit_5(self):
        peer = self.host('--refuse-inject', serve=2)
        state = self.save('state.json', self.query(peer).stdout)
        packet_path = os.path.join(self.tmp, 'packet.json')
        self.assertExit(self.owner_verify(state, '--packet-out', packet_path), 0)
        res = self.sevlaunch('inject', '--qmp', peer.address, '--packet', packet_path, '--json')
        self.assertExit(res, 5)
        self.assertEqual(res.json['error']['class'], 'injection-refused')
        peer.finish()
        self.assertNoResume(peer)

    def test_bad_inputs(self):
        bad = self.save('bad.json', b'{"schema_version": 1, "command": "verify", "exit_code": 0}\n')
        res = self.owner_verify(bad, '--packet-out', os.path.join(self.tmp, 'p.json'))
        self.assertExit(res, 2)
        self.assertOneErrorLine(res, '--launch-state', 'query')
        res = self.sevlaunch('inject', '--qmp', 'unix:' + os.path.join(self.tmp, 'none'),
                             '--packet', bad)
        self.assertExit(res, 2)
        self.assertOneErrorLine(res, '--packet')
        failed = self.save('failed.json', json.dumps({
            'schema_version': 1, 'command': 'query', 'exit_code': 4,
            'error': {'class': 'not-verifiable', 'message': 'SEV is off'}}).encode() + b'\n')
        jsonschemas.validate_file(failed, 'query')
        res = self.owner_verify(failed, '--packet-out', os.path.join(self.tmp, 'p.json'))
        self.assertExit(res, 2)
        self.assertOneErrorLine(res, 'SEV is off')
        self.assertFalse(os.path.exists(os.path.join(self.tmp, 'p.json')))


class TestPlatform(SplitCase):

    def test_certs_qmp_rome(self):
        peer = self.start_peer('--platform-chain', ROME, '--cpu0-id', CPU0_ID.hex(),
                               '--qemu-version', '7.2', '--sev-disabled')
        res = self.sevlaunch('certs', '--qmp', peer.address, '--json')
        self.assertExit(res, 0)
        self.assertIs(res.json['verified'], True)
        self.assertEqual(res.json['amd_keys'], {'source': 'built-in', 'generation': 'rome',
                                                'detected': True})
        self.assertEqual(res.json['cek_url'], 'https://kdsintf.amd.com/cek/id/' + CPU0_ID.hex().upper())
        peer.finish()
        self.assertEqual(peer.commands(), ['qmp_capabilities', 'query-sev-capabilities'])

    def test_certs_wrong_generation_and_launch_state(self):
        peer = self.host(serve=2)
        state = self.save('state.json', self.query(peer).stdout)
        res = self.sevlaunch('certs', '--launch-state', state, '--generation', 'milan', '--json')
        self.assertExit(res, 4)
        self.assertIs(res.json['verified'], False)
        res = self.sevlaunch('certs', '--launch-state', state, '--json')
        self.assertExit(res, 0)
        self.assertEqual(res.json['amd_keys']['generation'], 'rome')

    def test_session_qmp_opened_by_the_platform(self):
        key = ec.generate_private_key(ec.SECP384R1())
        chain = os.path.join(self.tmp, 'platform')
        os.mkdir(chain)
        self.save('platform/pdh.cert', pdh_cert(key.public_key()))
        for name in ('pek', 'oca', 'cek'):
            self.save('platform/%s.cert' % name, harness.read_bytes(os.path.join(ROME, name + '.cert')))
        peer = self.start_peer('--platform-chain', chain, '--sev-disabled', '--serve', 2)
        out = os.path.join(self.tmp, 'out')
        # the test's own PDH is signed by nobody: refused without --no-verify-chain
        res = self.sevlaunch('session', '--qmp', peer.address, '--policy', '0x3', '--out-dir', out)
        self.assertExit(res, 4)
        self.assertFalse(os.path.exists(out))
        res = self.sevlaunch('session', '--qmp', peer.address, '--policy', '0x3', '--out-dir', out,
                             '--no-verify-chain', '--json')
        self.assertExit(res, 0)
        self.assertIs(res.json['certificate_chain']['verified'], False)
        godh = base64.b64decode(harness.read_bytes(os.path.join(out, 'godh.b64')), validate=True)
        blob = base64.b64decode(harness.read_bytes(os.path.join(out, 'session.b64')), validate=True)
        # the platform's side, with the private key only the test holds
        z = key.exchange(ec.ECDH(), godh_public_key(godh))
        master = kdf(z, b'sev-master-secret', blob[:16])
        kik = kdf(master, b'sev-kik', b'')
        import hashlib
        import hmac
        self.assertEqual(hmac.new(kik, blob[16:48], hashlib.sha256).digest(), blob[64:96])
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
        dec = Cipher(algorithms.AES(kdf(master, b'sev-kek', b'')), modes.CTR(blob[48:64])).decryptor()
        tk = dec.update(blob[16:48]) + dec.finalize()
        self.assertEqual(harness.read_bytes(os.path.join(out, 'tk.bin')), tk)


class TestSchemas(harness.LiveTestCase):

    def test_schemas_are_generated(self):
        script = os.path.join(harness.HERE, '..', '..', 'scripts', 'json-schemas.py')
        p = subprocess.run([sys.executable, script, '--check'], capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)

    def test_sev_features_above_int64_refused(self):
        # a JSON number holds it exactly only up to 2^63-1 (and bit 63 is reserved)
        res = self.sevlaunch('measure', '--json', '--firmware', harness.SEVCTL_FW, '--sev-es',
                             '--cpu', 'EPYC-Milan', '--vcpus', '1',
                             '--sev-features', '0x8000000000000000')
        self.assertExit(res, 2)
        self.assertEqual(res.json['error']['class'], 'usage')
        self.assertOneErrorLine(res, '--sev-features')

    def test_every_command_has_a_schema(self):
        for command in ('verify', 'measure', 'ovmf', 'certs', 'session', 'query', 'inject',
                        'packet'):
            jsonschemas.validator(command)


if __name__ == '__main__':
    harness.main()
