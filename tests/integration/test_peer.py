#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Self-tests of qmp-peer.py against the published vectors (no sevlaunch)."""

import base64
import hashlib
import hmac
import os
import struct
import unittest
import uuid

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

import harness
from harness import LiveTestCase
from qmpclient import QmpClient

M_ARGS = ['--tik', None, '--api', '1.40', '--build', '40', '--policy', '0x3',
          '--mnonce-hex', harness.M_MNONCE_HEX]


def build_packet(tik, tek, iv, table, measurement):
    """An independent LAUNCH_SECRET packet builder for peer self-tests."""
    enc = Cipher(algorithms.AES(tek), modes.CTR(iv)).encryptor()
    ct = enc.update(table) + enc.finalize()
    n = struct.pack('<I', len(ct))
    flags = b'\0' * 4
    mac = hmac.new(tik, b'\x01' + flags + iv + n + n + ct + measurement,
                   hashlib.sha256).digest()
    return base64.b64encode(flags + iv + mac).decode(), base64.b64encode(ct).decode()


class PeerTest(LiveTestCase):

    def m_args(self, *extra):
        args = list(M_ARGS)
        args[1] = self.tik
        return args + list(extra)

    def test_m3_qemu72(self):
        peer = self.start_peer(*self.m_args('--firmware', harness.SEVCTL_FW,
                                            '--qemu-version', '7.2'))
        with QmpClient(peer.address) as c:
            self.assertEqual(c.greeting['QMP']['version']['qemu'],
                             {'micro': 0, 'minor': 2, 'major': 7})
            self.assertEqual(c.greeting['QMP']['capabilities'], ['oob'])
            info = c.command('query-sev')
            self.assertEqual(info, {'enabled': True, 'api-major': 1, 'api-minor': 40,
                                    'build-id': 40, 'policy': 3, 'state': 'launch-secret',
                                    'handle': 1})
            self.assertEqual(c.command('query-sev-launch-measure'),
                             {'data': harness.M3_BLOB})
            self.assertEqual(c.command('query-status'),
                             {'running': False, 'singlestep': False, 'status': 'prelaunch'})
        peer.finish()
        self.assertEqual(peer.commands(), ['qmp_capabilities', 'query-sev',
                                           'query-sev-launch-measure', 'query-status'])

    def test_m4_kernel_hashes_qemu91(self):
        peer = self.start_peer(*self.m_args('--firmware', harness.SEVCTL_FW,
                                            '--kernel', harness.KERNEL,
                                            '--initrd', harness.INITRD,
                                            '--cmdline', harness.CMDLINE))
        with QmpClient(peer.address) as c:
            self.assertEqual(c.greeting['QMP']['version']['qemu']['minor'], 1)
            info = c.command('query-sev')
            self.assertEqual(info['sev-type'], 'sev')
            self.assertEqual(info['policy'], 3)
            self.assertEqual(c.command('query-sev-launch-measure'),
                             {'data': harness.M4_BLOB})

    def test_m4_from_published_ld(self):
        peer = self.start_peer(*self.m_args('--launch-digest', harness.M4_LD))
        with QmpClient(peer.address) as c:
            self.assertEqual(c.command('query-sev-launch-measure')['data'], harness.M4_BLOB)

    def test_m5_sev_es_four_vcpus(self):
        mnonce = base64.b64decode(harness.M5_BLOB)[32:].hex()
        args = ['--tik', self.tik, '--api', '1.49', '--build', '6', '--policy', '0x5',
                '--firmware', harness.SEVCTL_FW, '--mnonce-hex', mnonce,
                '--vmsa', harness.VMSA0] + ['--vmsa', harness.VMSA1] * 3
        peer = self.start_peer(*args)
        with QmpClient(peer.address) as c:
            self.assertEqual(c.command('query-sev-launch-measure')['data'], harness.M5_BLOB)
            cpus = c.command('query-cpus-fast')
            self.assertEqual([x['cpu-index'] for x in cpus], [0, 1, 2, 3])
            self.assertEqual(cpus[0]['target'], 'x86_64')
            self.assertEqual(cpus[3]['qom-path'], '/machine/unattached/device[3]')

    def test_random_mnonce_and_tamper(self):
        base = ['--tik', self.tik, '--firmware', harness.SEVCTL_FW]
        blobs = []
        for extra in ([], [], ['--tamper-firmware', '--mnonce-hex', harness.M_MNONCE_HEX]):
            peer = self.start_peer(*(base + extra))
            with QmpClient(peer.address) as c:
                blobs.append(base64.b64decode(c.command('query-sev-launch-measure')['data']))
            peer.finish()
        self.assertEqual(len(blobs[0]), 48)
        self.assertNotEqual(blobs[0][32:], blobs[1][32:])
        peer = self.start_peer(*self.m_args('--firmware', harness.SEVCTL_FW, '--tamper-firmware'))
        with QmpClient(peer.address) as c:
            self.assertNotEqual(c.command('query-sev-launch-measure')['data'], harness.M3_BLOB)

    def test_protocol_rules(self):
        peer = self.start_peer('--tik', self.tik, '--firmware', harness.SEVCTL_FW)
        with QmpClient(peer.address, negotiate=False) as c:
            r = c.execute('query-sev')
            self.assertEqual(r['error']['class'], 'CommandNotFound')
            self.assertIn('qmp_capabilities', r['error']['desc'])
            self.assertEqual(c.command('qmp_capabilities'), {})
            r = c.execute('no-such-command')
            self.assertEqual(r['error'], {'class': 'CommandNotFound',
                                          'desc': 'The command no-such-command has not been found'})
            r = c.execute('query-sev', {'bogus': 1})
            self.assertEqual(r['error']['class'], 'GenericError')
            r = c.execute('sev-inject-launch-secret', {'secret': 'AAAA'})
            self.assertIn("'packet-header' is missing", r['error']['desc'])
            c.send({'execute': 'query-status', 'id': {'any': ['json', 1]}})
            self.assertEqual(c.read_message()['id'], {'any': ['json', 1]})
            c.sock.sendall(b'{"execute": ')
            c.sock.sendall(b'"cont", "id": 7}')
            self.assertEqual(c.read_message()['event'], 'RESUME')
            self.assertEqual(c.read_message(), {'return': {}, 'id': 7})
            self.assertEqual(c.command('query-status'), {'running': True, 'status': 'running'})
            self.assertEqual(c.execute('quit')['return'], {})
            self.assertEqual(c.read_message()['event'], 'SHUTDOWN')
            self.assertRaises(EOFError, c.read_message)

    def test_sev_off_and_not_verifiable_forms(self):
        peer = self.start_peer('--sev-disabled', '--qemu-version', '7.2')
        with QmpClient(peer.address) as c:
            self.assertEqual(c.command('query-sev'),
                             {'enabled': False, 'api-major': 0, 'api-minor': 0, 'build-id': 0,
                              'policy': 0, 'state': 'uninit', 'handle': 0})
            r = c.execute('query-sev-launch-measure')
            self.assertEqual(r['error']['desc'], 'SEV launch measurement is not available')
        peer = self.start_peer('--sev-unavailable')
        with QmpClient(peer.address) as c:
            self.assertEqual(c.execute('query-sev')['error']['class'], 'GenericError')
        peer = self.start_peer('--sev-type', 'sev-snp', '--tik', self.tik,
                               '--launch-digest', harness.M4_LD)
        with QmpClient(peer.address) as c:
            info = c.command('query-sev')
            self.assertEqual(info['sev-type'], 'sev-snp')
            self.assertEqual(info['snp-policy'], 0x30000)
            self.assertNotIn('policy', info)
        peer = self.start_peer('--state', 'running', '--tik', self.tik,
                               '--launch-digest', harness.M4_LD)
        with QmpClient(peer.address) as c:
            self.assertEqual(c.command('query-sev')['state'], 'running')

    def test_faults(self):
        base = ['--tik', self.tik, '--firmware', harness.SEVCTL_FW]
        peer = self.start_peer(*(base + ['--split-writes', '1', '--interleave-events']))
        with QmpClient(peer.address) as c:
            self.assertEqual(len(base64.b64decode(c.command('query-sev-launch-measure')['data'])),
                             48)
            self.assertEqual(c.events[0]['event'], 'RTC_CHANGE')
        peer = self.start_peer(*(base + ['--event-storm', '5', '--huge-measure', '1']))
        with QmpClient(peer.address) as c:
            self.assertEqual(len(c.command('query-sev-launch-measure')['data']), 1 << 20)
            self.assertEqual(len(c.events), 10)
        peer = self.start_peer(*(base + ['--stray-reply']))
        with QmpClient(peer.address, negotiate=False) as c:
            c.send({'execute': 'qmp_capabilities', 'id': 1})
            self.assertEqual(c.read_message()['id'], 'qmp-peer-stray')
            self.assertEqual(c.read_message(), {'return': {}, 'id': 1})
        peer = self.start_peer(*(base + ['--idless-error']))
        with QmpClient(peer.address, negotiate=False) as c:
            c.send({'execute': 'qmp_capabilities', 'id': 1})
            self.assertNotIn('id', c.read_message())
            self.assertEqual(c.read_message(), {'return': {}, 'id': 1})
        peer = self.start_peer(*(base + ['--bad-measure']))
        with QmpClient(peer.address) as c:
            self.assertEqual(len(base64.b64decode(c.command('query-sev-launch-measure')['data'])),
                             47)
        peer = self.start_peer(*(base + ['--garbage']))
        with QmpClient(peer.address) as c:
            self.assertRaises(ValueError, c.execute, 'query-sev-launch-measure')
        peer = self.start_peer(*(base + ['--drop-after', '2']))
        with QmpClient(peer.address) as c:
            c.command('query-sev')
            self.assertRaises((EOFError, ConnectionError), c.execute, 'query-status')
        peer = self.start_peer(*(base + ['--drop-after', '0']))
        with QmpClient(peer.address, negotiate=False) as c:
            self.assertRaises((EOFError, ConnectionError), c.execute, 'qmp_capabilities')
        peer = self.start_peer(*(base + ['--no-greeting']))
        self.assertRaises((EOFError, ConnectionError), QmpClient, peer.address)

    def test_secret_vectors_s1_s2(self):
        for header, payload, expect in (
                (harness.S1_HEADER, harness.S1_PAYLOAD, {harness.S_GUID1: b'MY-LUKS-PASSPHRASE'}),
                (harness.S2_HEADER, harness.S2_PAYLOAD, {harness.S_GUID1: b'MY-LUKS-PASSPHRASE',
                                                         harness.S_GUID2: b'SOME OTHER SECRET'})):
            peer = self.start_peer('--tik', self.s_tik, '--tek', self.s_tek,
                                   '--firmware', harness.SEVCTL_FW,
                                   '--report-blob', harness.S_BLOB)
            with QmpClient(peer.address) as c:
                self.assertEqual(c.command('query-sev-launch-measure')['data'], harness.S_BLOB)
                self.assertEqual(c.command('sev-inject-launch-secret',
                                           {'packet-header': header, 'secret': payload}), {})
            peer.finish()
            inj = peer.injections()
            self.assertEqual(len(inj), 1)
            self.assertEqual(inj[0]['injected'], {g: v.hex() for g, v in expect.items()})
            # the sevctl firmware's secret area starts at 0x80c000
            self.assertEqual(inj[0]['gpa'], 0x80c000)

    def test_secret_rejections(self):
        tik = harness.read_bytes(self.s_tik)
        tek = harness.read_bytes(self.s_tek)
        meas = base64.b64decode(harness.S_BLOB)[:32]
        iv = bytes(range(16))
        good = (uuid.UUID(harness.S_GUID1).bytes_le + struct.pack('<I', 23) + b'abc')
        table = uuid.UUID('1e74f542-71dd-4d66-963e-ef4287ff173b').bytes_le
        ok_table = table + struct.pack('<I', 20 + len(good)) + good
        ok_table += b'\0' * (-len(ok_table) % 16)
        # an entry that claims more bytes than the table holds
        bad_entry = good[:16] + struct.pack('<I', 99) + b'abc'
        bad_table = table + struct.pack('<I', 20 + len(bad_entry)) + bad_entry
        bad_table += b'\0' * (-len(bad_table) % 16)
        peer = self.start_peer('--tik', self.s_tik, '--tek', self.s_tek,
                               '--firmware', harness.SEVCTL_FW, '--report-blob', harness.S_BLOB,
                               '--qemu-version', '7.2')
        with QmpClient(peer.address) as c:
            h, p = build_packet(tik, tek, iv, ok_table, b'\1' * 32)
            r = c.execute('sev-inject-launch-secret', {'packet-header': h, 'secret': p})
            self.assertEqual(r['error']['class'], 'GenericError')
            self.assertIn('failed to inject secret', r['error']['desc'])
            h, p = build_packet(tik, tek, iv, bad_table, meas)
            r = c.execute('sev-inject-launch-secret', {'packet-header': h, 'secret': p})
            self.assertEqual(r['error']['class'], 'GenericError')
            h, p = build_packet(tik, tek, iv, ok_table, meas)
            self.assertEqual(c.command('sev-inject-launch-secret',
                                       {'packet-header': h, 'secret': p, 'gpa': 4096}), {})
        peer.finish()
        self.assertEqual([e['injected'] for e in peer.injections()],
                         [{harness.S_GUID1: b'abc'.hex()}])
        self.assertEqual(peer.injections()[0]['gpa'], 4096)

    def test_secret_table_forms(self):
        peer = harness.load_peer_module()
        hdr = uuid.UUID('1e74f542-71dd-4d66-963e-ef4287ff173b').bytes_le
        entry = uuid.UUID(harness.S_GUID1).bytes_le + struct.pack('<I', 25) + b'hello'
        null = bytes(16) + struct.pack('<I', 21) + b'x'
        body = entry + null
        padded = body + bytes(-(20 + len(body)) % 16)
        # total without the padding (sevctl) and with it (libvirt's tool)
        for total in (20 + len(body), 20 + len(padded)):
            table = hdr + struct.pack('<I', total) + padded
            self.assertEqual(peer.parse_secret_table(table), {harness.S_GUID1: b'hello'})
        bad = [hdr[:19],
               bytes(16) + struct.pack('<I', 20),
               hdr + struct.pack('<I', 19),
               hdr + struct.pack('<I', 4096) + padded,
               hdr + struct.pack('<I', 20 + 2 * len(entry)) + entry + entry,
               hdr + struct.pack('<I', 20 + len(entry)) + entry[:16] + struct.pack('<I', 19) + b'hello',
               hdr + struct.pack('<I', 20 + len(entry)) + entry + b'\1' + bytes(10),
               hdr + struct.pack('<I', 20 + len(entry) + 20) + entry + bytes(20)]
        for table in bad:
            with self.subTest(table=table.hex()):
                self.assertRaises(ValueError, peer.parse_secret_table, table)

    def test_secret_area_lookup(self):
        # a firmware with no OVMF table: QEMU wants an explicit gpa
        fw = self.write_private('plain.fd', b'\xff' * 4096)
        peer = self.start_peer('--tik', self.s_tik, '--tek', self.s_tek, '--firmware', fw)
        with QmpClient(peer.address) as c:
            r = c.execute('sev-inject-launch-secret', {'packet-header': 'AAAA', 'secret': 'AAAA'})
            self.assertIn('no secret area found in OVMF', r['error']['desc'])
        peer = self.start_peer('--tik', self.s_tik, '--refuse-inject', '--firmware', fw)
        with QmpClient(peer.address) as c:
            r = c.execute('sev-inject-launch-secret', {'packet-header': 'AAAA', 'secret': 'AAAA'})
            self.assertEqual(r['error']['class'], 'GenericError')

    @unittest.skipUnless(os.path.exists(harness.DEBIAN_OVMF), 'no Debian OVMF')
    def test_debian_ovmf_has_no_hashes_area(self):
        peer = harness.Peer(self.tmp, ['--tik', self.tik, '--firmware', harness.DEBIAN_OVMF,
                                       '--kernel', harness.KERNEL], wait_ready=False)
        self.peers.append(peer)
        self.assertEqual(peer.proc.wait(timeout=15), 2)
        self.assertIn('hashes table', peer.stderr())

    def test_tcp(self):
        ready = os.path.join(self.tmp, 'tcp.ready')
        import subprocess
        proc = subprocess.Popen([harness.PYTHON, harness.PEER, '--tcp', '127.0.0.1:0',
                                 '--ready-file', ready, '--tik', self.tik,
                                 '--launch-digest', harness.M4_LD] + M_ARGS[2:],
                                stdout=subprocess.PIPE)
        try:
            line = proc.stdout.readline().decode()
            self.assertTrue(line.startswith('listening on tcp:127.0.0.1:'), line)
            address = harness.read_bytes(ready).decode().strip()
            with QmpClient(address) as c:
                self.assertEqual(c.command('query-sev-launch-measure')['data'], harness.M4_BLOB)
            self.assertEqual(proc.wait(timeout=10), 0)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            proc.stdout.close()


if __name__ == '__main__':
    harness.main()
