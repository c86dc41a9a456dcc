#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""sevlaunch verify over a TLS monitor: a real, paused qemu-system-x86_64 (TCG, no SEV)
with tls-creds-x509 verify-peer=on, and qmp-peer.py --tls-dir for a full match."""

import atexit
import json
import os
import shutil
import tempfile
import socket
import ssl
import subprocess
import time
import unittest

import harness
from harness import LiveTestCase
from qmpclient import QmpClient

QEMU = shutil.which('qemu-system-x86_64')
TLS = os.path.join(harness.DATA, 'tls')
SERVER_DIR = os.path.join(TLS, 'server')


def private_copy(source):
    """git keeps no modes: sevlaunch refuses a client key readable by others, so the
    tests use copies whose key is 0600, as an owner's would be."""
    path = tempfile.mkdtemp(prefix='sl-tls-creds-')
    for name in os.listdir(source):
        shutil.copyfile(os.path.join(source, name), os.path.join(path, name))
    os.chmod(os.path.join(path, 'client-key.pem'), 0o600)
    atexit.register(shutil.rmtree, path, True)
    return path


CLIENT_DIR = private_copy(os.path.join(TLS, 'client'))
OTHER_CLIENT_DIR = private_copy(os.path.join(TLS, 'other-client'))
PORT_ATTEMPTS = 5
SECRET_DIR = os.path.join(harness.SEVCTL, 'secret')
SEVCTL_SECRET_BASE = 0x80c000


class TlsQmpClient(QmpClient):
    """The tests' QMP client over TLS with the credentials in CLIENT_DIR.

    QEMU before 8.0 reads a TLS monitor one byte per wakeup and misses what
    GnuTLS already decrypted, so every byte goes out in its own record."""

    def _connect(self, address, timeout):
        sock = QmpClient._connect(address, timeout)
        ctx = ssl.create_default_context(cafile=os.path.join(CLIENT_DIR, 'ca-cert.pem'))
        ctx.load_cert_chain(os.path.join(CLIENT_DIR, 'client-cert.pem'),
                            os.path.join(CLIENT_DIR, 'client-key.pem'))
        return ctx.wrap_socket(sock, server_hostname='127.0.0.1')

    def send(self, obj):
        data = json.dumps(obj).encode() + b'\n'
        for i in range(len(data)):
            self.sock.sendall(data[i:i + 1])


def free_port():
    """A port nobody listens on right now; the caller retries if QEMU loses the race."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def listening_inodes(port):
    """Socket inodes listening on 127.0.0.1:port, from /proc/net/tcp (no connection made)."""
    inodes = set()
    with open('/proc/net/tcp', encoding='ascii') as f:
        for line in f.readlines()[1:]:
            fields = line.split()
            if fields[1] == '0100007F:%04X' % port and fields[3] == '0A':
                inodes.add(fields[9])
    return inodes


def socket_inodes(pid):
    inodes = set()
    fd_dir = '/proc/%d/fd' % pid
    for fd in os.listdir(fd_dir):
        try:
            target = os.readlink(os.path.join(fd_dir, fd))
        except OSError:
            continue
        if target.startswith('socket:['):
            inodes.add(target[len('socket:['):-1])
    return inodes


@unittest.skipUnless(QEMU, 'qemu-system-x86_64 is not installed')
@unittest.skipUnless(os.path.exists(harness.DEBIAN_OVMF), 'Debian OVMF is not installed')
class TestRealQemuTls(LiveTestCase):

    def setUp(self):
        super().setUp()
        self.qemu = None
        self.qemu_err = None
        for _ in range(PORT_ATTEMPTS):
            self.port = free_port()
            if self.start_qemu():
                break
        else:
            self.fail('qemu found no free port in %d attempts' % PORT_ATTEMPTS)
        self.address = 'tcp:127.0.0.1:%d' % self.port

    def start_qemu(self):
        """True once this QEMU listens on self.port; False if another process took it."""
        if self.qemu_err is not None:
            self.qemu_err.close()
        self.qemu_err = open(os.path.join(self.tmp, 'qemu.stderr'), 'wb')
        self.qemu = subprocess.Popen(
            [QEMU, '-S', '-display', 'none', '-machine', 'q35', '-nodefaults',
             '-accel', 'tcg', '-m', '128', '-bios', harness.DEBIAN_OVMF,
             '-object', 'tls-creds-x509,id=tls0,dir=%s,endpoint=server,verify-peer=on'
             % SERVER_DIR,
             '-chardev', 'socket,id=mon0,host=127.0.0.1,port=%d,server=on,wait=off,'
             'tls-creds=tls0' % self.port,
             '-mon', 'chardev=mon0,mode=control'],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self.qemu_err)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.qemu.poll() is not None:
                if 'in use' in self.qemu_stderr():
                    return False
                self.fail('qemu exited early: %s' % self.qemu_stderr())
            if listening_inodes(self.port) & socket_inodes(self.qemu.pid):
                return True
            time.sleep(0.05)
        self.fail('qemu did not listen on port %d' % self.port)

    def tearDown(self):
        if self.qemu is not None and self.qemu.poll() is None:
            self.qemu.kill()
            self.qemu.wait()
        if self.qemu_err is not None:
            self.qemu_err.close()
        super().tearDown()

    def qemu_stderr(self):
        self.qemu_err.flush()
        return harness.read_bytes(os.path.join(self.tmp, 'qemu.stderr')).decode(errors='replace')

    def verify(self, *extra):
        return self.sevlaunch('verify', '--qmp', self.address, '--firmware', harness.DEBIAN_OVMF,
                              '--tik', self.tik, '--timeout', '10', *extra)

    def still_paused_then_quit(self):
        with TlsQmpClient(self.address) as c:
            status = c.command('query-status')
            self.assertFalse(status['running'], status)
            self.assertEqual(status['status'], 'prelaunch')
            self.assertNotIn('RESUME', [e['event'] for e in c.events])
            # QEMU acts on the closing brace; over TLS it may exit before its reply is out
            try:
                self.assertEqual(c.command('quit'), {})
            except (EOFError, ConnectionError):
                pass
        self.assertEqual(self.qemu.wait(timeout=20), 0)

    def test_tls_handshake_and_negotiation(self):
        res = self.verify('--qmp-tls-creds', CLIENT_DIR)
        self.assertExit(res, 4)
        # query-sev answered: the handshake and qmp_capabilities went through
        self.assertOneErrorLine(res, 'SEV is not enabled')
        self.still_paused_then_quit()

    def test_tls_host_name_given(self):
        res = self.verify('--qmp-tls-creds', CLIENT_DIR, '--qmp-tls-hostname', 'localhost')
        self.assertExit(res, 4)
        self.assertOneErrorLine(res, 'SEV is not enabled')
        res = self.verify('--qmp-tls-creds', CLIENT_DIR, '--qmp-tls-hostname', 'qemu.example')
        self.assertExit(res, 3)
        self.assertOneErrorLine(res, 'TLS handshake', "not issued for 'qemu.example'")
        self.still_paused_then_quit()

    def test_other_ca_refused(self):
        res = self.verify('--qmp-tls-creds', OTHER_CLIENT_DIR)
        self.assertExit(res, 3)
        self.assertOneErrorLine(res, 'TLS handshake', 'not signed by the CA in ca-cert.pem')
        self.still_paused_then_quit()

    def test_plain_client_refused(self):
        # QEMU waits for a TLS hello, we wait for a greeting: only the timeout ends it
        res = self.sevlaunch('verify', '--qmp', self.address, '--firmware', harness.DEBIAN_OVMF,
                             '--tik', self.tik, '--timeout', '2')
        self.assertExit(res, 3)
        # the error points at the likely cause
        self.assertOneErrorLine(res, 'within 2', 'no QMP greeting', '--qmp-tls-creds')
        self.still_paused_then_quit()


class TestTlsOptions(LiveTestCase):
    """Checked before connecting: exit 2 and the peer never sees a connection."""

    def assertRefusedEarly(self, peer, res, *keywords):
        self.assertExit(res, 2)
        self.assertOneErrorLine(res, *keywords)
        peer.stop()
        self.assertNotIn({'connected': True}, peer.log())

    def verify(self, peer, *extra):
        return self.sevlaunch('verify', '--qmp', peer.address, '--firmware', harness.DEBIAN_OVMF,
                              '--tik', self.tik, *extra)

    def creds_dir(self, *names, source=CLIENT_DIR):
        path = os.path.join(self.tmp, 'creds')
        os.makedirs(path, exist_ok=True)
        for name in names:
            shutil.copyfile(os.path.join(source, name), os.path.join(path, name))
            if name == 'client-key.pem':
                os.chmod(os.path.join(path, name), 0o600)
        return path

    def test_tls_with_unix_socket(self):
        peer = self.start_peer('--sev-disabled')
        res = self.verify(peer, '--qmp-tls-creds', CLIENT_DIR)
        self.assertRefusedEarly(peer, res, '--qmp-tls-creds', 'tcp:')

    def test_missing_dir(self):
        peer = self.start_peer('--sev-disabled', '--tls-dir', SERVER_DIR, tcp=True)
        missing = os.path.join(self.tmp, 'nowhere')
        res = self.verify(peer, '--qmp-tls-creds', missing)
        self.assertRefusedEarly(peer, res, missing)

    def test_missing_ca(self):
        peer = self.start_peer('--sev-disabled', '--tls-dir', SERVER_DIR, tcp=True)
        creds = self.creds_dir('client-cert.pem', 'client-key.pem')
        res = self.verify(peer, '--qmp-tls-creds', creds)
        self.assertRefusedEarly(peer, res, os.path.join(creds, 'ca-cert.pem'))

    def test_client_key_readable_by_others(self):
        # the client key is a private key: the key-file rule applies to it too
        peer = self.start_peer('--sev-disabled', '--tls-dir', SERVER_DIR, tcp=True)
        creds = self.creds_dir('ca-cert.pem', 'client-cert.pem', 'client-key.pem')
        os.chmod(os.path.join(creds, 'client-key.pem'), 0o644)
        res = self.verify(peer, '--qmp-tls-creds', creds)
        self.assertRefusedEarly(peer, res, os.path.join(creds, 'client-key.pem'), 'group or others')

    def test_client_key_readable_by_others_allowed(self):
        peer = self.start_peer('--sev-disabled', '--tls-dir', SERVER_DIR, tcp=True)
        creds = self.creds_dir('ca-cert.pem', 'client-cert.pem', 'client-key.pem')
        os.chmod(os.path.join(creds, 'client-key.pem'), 0o644)
        res = self.verify(peer, '--qmp-tls-creds', creds, '--allow-open-permissions')
        self.assertExit(res, 4)  # not verifiable: the TLS session worked, SEV is off

    def test_cert_without_key(self):
        peer = self.start_peer('--sev-disabled', '--tls-dir', SERVER_DIR, tcp=True)
        creds = self.creds_dir('ca-cert.pem', 'client-cert.pem')
        res = self.verify(peer, '--qmp-tls-creds', creds)
        self.assertRefusedEarly(peer, res, os.path.join(creds, 'client-key.pem'))

    def test_hostname_without_creds(self):
        peer = self.start_peer('--sev-disabled', tcp=True)
        res = self.verify(peer, '--qmp-tls-hostname', 'localhost')
        self.assertRefusedEarly(peer, res, '--qmp-tls-hostname', '--qmp-tls-creds')

    def test_offline_refuses_tls(self):
        res = self.sevlaunch('verify', '--measurement', harness.M3_BLOB,
                             '--qmp-tls-creds', CLIENT_DIR)
        self.assertExit(res, 2)
        self.assertOneErrorLine(res, '--qmp-tls-creds', 'needs --qmp')


class TestPeerOverTls(LiveTestCase):
    """The whole flow over TLS: verify, inject the secret, resume."""

    def test_match_secret_cont(self):
        secret = self.private_copy(os.path.join(SECRET_DIR, 'secret1.txt'), 'secret1.txt')
        for version in ('9.1', '7.2'):
            with self.subTest(qemu=version):
                peer = self.start_peer('--tik', self.s_tik, '--tek', self.s_tek,
                                       '--firmware', harness.SEVCTL_FW, '--api', '1.40',
                                       '--build', '40', '--policy', '0x3',
                                       '--qemu-version', version,
                                       '--tls-dir', SERVER_DIR, tcp=True)
                res = self.sevlaunch('verify', '--qmp', peer.address,
                                     '--qmp-tls-creds', CLIENT_DIR,
                                     '--firmware', harness.SEVCTL_FW,
                                     '--tik', self.s_tik, '--tek', self.s_tek,
                                     '--secret', '%s:%s' % (harness.S_GUID1, secret))
                self.assertExit(res, 0)
                self.assertIn('verdict: verified', res.out)
                peer.finish()
                cmds = peer.commands()
                self.assertEqual(cmds[-2:], ['sev-inject-launch-secret', 'cont'], cmds)
                inj = peer.injections()
                self.assertEqual(len(inj), 1, peer.log())
                self.assertEqual(inj[0]['injected'],
                                 {harness.S_GUID1: b'MY-LUKS-PASSPHRASE'.hex()})
                self.assertEqual(inj[0]['gpa'], SEVCTL_SECRET_BASE)

    def test_peer_refuses_other_client(self):
        peer = self.start_peer('--sev-disabled', '--tls-dir', SERVER_DIR, tcp=True)
        res = self.sevlaunch('verify', '--qmp', peer.address, '--qmp-tls-creds', OTHER_CLIENT_DIR,
                             '--firmware', harness.DEBIAN_OVMF, '--tik', self.tik)
        self.assertExit(res, 3)
        self.assertOneErrorLine(res, 'TLS handshake')
        peer.stop()
        self.assertEqual(peer.commands(), [])


if __name__ == '__main__':
    harness.main()
