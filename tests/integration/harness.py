# SPDX-License-Identifier: GPL-2.0-or-later
"""Shared plumbing for the live tests: fixtures, the peer, sevlaunch runs."""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

import jsonschemas


HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.environ.get('TEST_DATA', os.path.join(HERE, '..', 'data'))
PEER = os.environ.get('QMP_PEER', os.path.join(HERE, '..', 'qmp-peer.py'))
SEVLAUNCH = os.environ.get('SEVLAUNCH')
PYTHON = sys.executable

SEVCTL = os.path.join(DATA, 'sevctl')
SEVCTL_FW = os.path.join(SEVCTL, 'OVMF.amdsev.fd_trimmed_edk2-ovmf-20220126gitbb1bba3d77-4.el9')
DEBIAN_OVMF = '/usr/share/ovmf/OVMF.fd'
VMSA0 = os.path.join(SEVCTL, 'vmsa0.bin')
VMSA1 = os.path.join(SEVCTL, 'vmsa1.bin')
KERNEL = os.path.join(SEVCTL, 'vmlinuz-fake')
INITRD = os.path.join(SEVCTL, 'initrd-fake')
CMDLINE = 'foo bar baz fake kernel=cmdline'

# VECTORS.md M2..M4: sevctl TIK, api 1.40, build 40, policy 0x3, this mnonce
M_MNONCE_HEX = 'c313fab511c216b1505b1b2ea9903c40'
M3_BLOB = 'oMDewIouJSpbpNRHj7Mk3p08H2dPZQdsZMU14qIymBnDE/q1EcIWsVBbGy6pkDxA'
M4_BLOB = 'h3auYbWQnVW7EGLWN4Hf9SN0oEYMPU2sK4bLnefWPwvDE/q1EcIWsVBbGy6pkDxA'
M4_LD = '4b47fec6f851487c33714c8a00a832a1b705ad0a7cac4a647388eccfa9f0c570'
M5_BLOB = '/o0nzDKE5XgtVnUZWPhUea/WZYrTKLExR7KCwuMdbActvpWfXTFk21KMZIAAhQny'
M5_LD = '847b5ab6db136ea67dc5a95478ebe7e5ebbe93e9e74bdb1284165f9007a4e367'

# VECTORS.md section 4
S_BLOB = 'TLeA7607lZQntLjRY1/i+sbtdSZ+75zxpz4Px9hzpBLwItF5Q2o4prA++3ZZv9ZS'
S_GUID1 = '736869e5-84f0-4973-92ec-06879ce3da0b'
S_GUID2 = '736869e5-aaaa-4973-92ec-06879ce3da0b'
S1_HEADER = 'AAAAAKxUdO1N0yx9mJ7FI9klWey8FSzeYQ4X8K71VzNKLU/KQsIsQxLjtbhaPUewqshX5Q=='
S1_PAYLOAD = ('0U3e5PcXv0UW+H4tSBFKOdCYfKE1+j38Bc2fuO16mYiyI+sWx7INfn+lgYj56GL1'
              '2yyinDa+lVfCCwD/2w5cPA==')
S2_HEADER = 'AAAAAKxUdO1N0yx9mJ7FI9klWeyZ3r0dOEKHUOhIRqzGYYvTJgdMtBPL1nK6GD9aGET7Ng=='
S2_PAYLOAD = ('0U3e5PcXv0UW+H4tSBFKObWYfKE1+j38Bc2fuO16mYiyI+sWx7INfn+lgYj56GL1'
              '2yyinDa+lVfCC+WWs332lpLNUX1ZI3YK7vYgtys4X+uGxEIlkIQ90v8/w8ZFmQMe')

# a test setup that slows the binary down (valgrind) scales every timeout
TIMEOUT_SCALE = float(os.environ.get('SEVLAUNCH_TIMEOUT_SCALE', '1'))
SEVLAUNCH_TIMEOUT = 30 * TIMEOUT_SCALE


def scaled(seconds):
    return seconds * TIMEOUT_SCALE


def scaled_arg(seconds):
    """A whole number of seconds for --timeout or a peer --delay, scaled."""
    return str(int(round(seconds * TIMEOUT_SCALE)))


def rss_skip_reason():
    """Why a peak-RSS bound cannot be asserted in this run, or None."""
    if os.environ.get('SEVLAUNCH_SANITIZED', 'none') not in ('', 'none'):
        return 'RSS bounds are not asserted under a sanitizer (its shadow memory counts)'
    if os.environ.get('SEVLAUNCH_WRAPPER'):
        return 'RSS bounds are not asserted under a wrapper such as valgrind'
    return None


def read_bytes(path):
    with open(path, 'rb') as f:
        return f.read()


def load_peer_module():
    """qmp-peer.py as a module, for checks of its own parsers."""
    import importlib.util
    spec = importlib.util.spec_from_file_location('qmp_peer', PEER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Peer:
    """A running qmp-peer.py with its socket, ready file and command log."""

    def __init__(self, tmpdir, args, name='peer', delay_start=0.0, wait_ready=True,
                 tcp=False):
        self.socket = os.path.join(tmpdir, name + '.sock')
        self.ready = os.path.join(tmpdir, name + '.ready')
        self.logfile = os.path.join(tmpdir, name + '.log')
        self.errfile = os.path.join(tmpdir, name + '.stderr')
        self.address = 'unix:' + self.socket
        where = ['--tcp', '127.0.0.1:0'] if tcp else ['--unix', self.socket]
        cmd = [PYTHON, PEER] + where + ['--ready-file', self.ready, '--log', self.logfile,
                                        '--accept-timeout', '45', '--idle-timeout', '45']
        cmd += [str(a) for a in args]
        if delay_start:
            # the shell sleeps first, so the socket appears late
            cmd = ['/bin/sh', '-c', 'sleep %s; exec "$@"' % delay_start, 'sh'] + cmd
        self.err = open(self.errfile, 'wb')
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=self.err,
                                     start_new_session=True)
        if wait_ready:
            self.wait_ready()

    def wait_ready(self, timeout=15.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if os.path.exists(self.ready):
                self.address = read_bytes(self.ready).decode().strip()
                return
            if self.proc.poll() is not None:
                raise AssertionError('qmp-peer exited early (%d): %s'
                                     % (self.proc.returncode, self.stderr()))
            time.sleep(0.02)
        raise AssertionError('qmp-peer did not get ready')

    def stderr(self):
        self.err.flush()
        with open(self.errfile, encoding='utf-8', errors='replace') as f:
            return f.read()

    def finish(self, timeout=5.0):
        """Waits for the peer to end by itself; ends it if it does not."""
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.stop()
        return self.proc.returncode

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.err.close()

    def log(self):
        if not os.path.exists(self.logfile):
            return []
        with open(self.logfile, encoding='utf-8') as f:
            return [json.loads(line) for line in f if line.strip()]

    def commands(self):
        return [e['execute'] for e in self.log() if 'execute' in e]

    def injections(self):
        return [e for e in self.log() if 'injected' in e]


class LiveTestCase(unittest.TestCase):
    """Each test gets a temp dir with private copies of the key files."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix='sl-live-')
        self.peers = []
        self.tik = self.private_copy(os.path.join(SEVCTL, 'tik1.bin'), 'tik.bin')
        self.s_tik = self.private_copy(os.path.join(SEVCTL, 'secret', 'tik1.bin'), 's-tik.bin')
        self.s_tek = self.private_copy(os.path.join(SEVCTL, 'secret', 'tek1.bin'), 's-tek.bin')

    def tearDown(self):
        for p in self.peers:
            p.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def private_copy(self, src, name, mode=0o600):
        dst = os.path.join(self.tmp, name)
        shutil.copyfile(src, dst)
        os.chmod(dst, mode)
        return dst

    def write_private(self, name, data, mode=0o600):
        dst = os.path.join(self.tmp, name)
        with open(dst, 'wb') as f:
            f.write(data)
        os.chmod(dst, mode)
        return dst

    def start_peer(self, *args, **kwargs):
        peer = Peer(self.tmp, list(args), name='peer%d' % len(self.peers), **kwargs)
        self.peers.append(peer)
        return peer

    def sevlaunch(self, *args, timeout=SEVLAUNCH_TIMEOUT, input=None):
        if not SEVLAUNCH:
            self.skipTest('SEVLAUNCH is not set (src/sevlaunch not built)')
        cmd = [SEVLAUNCH] + [str(a) for a in args]
        start = time.monotonic()
        try:
            if input is None:
                res = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True,
                                     timeout=timeout)
            else:
                res = subprocess.run(cmd, input=input, capture_output=True, timeout=timeout)
        except subprocess.TimeoutExpired as e:
            self.fail('sevlaunch hung for %ss: %s' % (timeout, ' '.join(cmd)))
            raise e
        res.elapsed = time.monotonic() - start
        res.out = res.stdout.decode('utf-8', errors='replace')
        res.err = res.stderr.decode('utf-8', errors='replace')
        # every JSON document is checked against its schema, and kept for the test
        res.json = jsonschemas.check_output(args, res.stdout, res.returncode)
        return res

    def assertExit(self, res, code):
        self.assertEqual(res.returncode, code,
                         'exit %d, wanted %d\nstdout:\n%s\nstderr:\n%s'
                         % (res.returncode, code, res.out, res.err))

    def assertOneErrorLine(self, res, *keywords):
        """stderr is one `sevlaunch: ` line naming the keywords."""
        lines = [l for l in res.err.splitlines() if l.strip()]
        self.assertEqual(len(lines), 1, 'wanted one line on stderr:\n%s' % res.err)
        self.assertTrue(lines[0].startswith('sevlaunch: '),
                        'stderr does not start with "sevlaunch: ":\n%s' % res.err)
        for k in keywords:
            self.assertIn(k.lower(), res.err.lower(), 'stderr lacks %r:\n%s' % (k, res.err))

    def assertNoResume(self, peer):
        self.assertNotIn('cont', peer.commands())

    def assertNoSecretSent(self, peer):
        self.assertNotIn('sev-inject-launch-secret', peer.commands())
        self.assertEqual(peer.injections(), [])


def main():
    """unittest.main, but a run where every test skipped exits 77 (meson's SKIP)."""
    prog = unittest.main(verbosity=2, exit=False)
    result = prog.result
    if not result.wasSuccessful():
        sys.exit(1)
    if result.testsRun and len(result.skipped) == result.testsRun:
        sys.exit(77)
    sys.exit(0)
