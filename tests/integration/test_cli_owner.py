#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The owner's side before launch: `sevlaunch certs` and `sevlaunch session`.

The certificate chains are the virtee/sev fixtures of tests/data/amd-certs (VECTORS.md
section 6). For the session, this test plays the platform with python-cryptography: it
makes its own PDH key, runs `sevlaunch session`, derives the master secret from its side
of the ECDH, unwraps TEK || TIK (VECTORS.md section 5) and compares them with the key
files; then `sevlaunch verify --tk` must accept a measurement computed here with the TIK.
"""

import base64
import hashlib
import hmac
import json
import os
import resource
import shutil
import signal
import stat
import struct
import subprocess
import tempfile
import time
import unittest

import jsonschemas

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.environ.get('TEST_DATA', os.path.join(HERE, '..', 'data'))
SEVLAUNCH = os.environ.get('SEVLAUNCH')
RUN_TIMEOUT = 60 * float(os.environ.get('SEVLAUNCH_TIMEOUT_SCALE', '1'))

CERTS = os.path.join(DATA, 'amd-certs')
SEVCTL_FW = os.path.join(DATA, 'sevctl', 'OVMF.amdsev.fd_trimmed_edk2-ovmf-20220126gitbb1bba3d77-4.el9')
TIK1 = os.path.join(DATA, 'sevctl', 'tik1.bin')
# VECTORS.md section 1: M3 binds this firmware with tik1 and these parameters
M_NONCE = 'wxP6tRHCFrFQWxsuqZA8QA=='
M3_BLOB = 'oMDewIouJSpbpNRHj7Mk3p08H2dPZQdsZMU14qIymBnDE/q1EcIWsVBbGy6pkDxA'
M_PARAMS = ['--api-major', '1', '--api-minor', '40', '--build-id', '40', '--policy', '0x3']
LINKS = ['ark_signs_ark', 'ark_signs_ask', 'ask_signs_cek', 'oca_signs_oca', 'cek_signs_pek',
         'oca_signs_pek', 'pek_signs_pdh']


def links(report):
    """The certs report's links as {'ark_signs_ask': link}."""
    return {'%s_signs_%s' % (l['signer'], l['subject']): l for l in report['links']}
SESSION_FILES = ['godh.b64', 'session.b64', 'tik.bin', 'tek.bin', 'tk.bin']


def read(path):
    with open(path, 'rb') as f:
        return f.read()


def kdf(key, label, context, length=16):
    """NIST SP 800-108 counter mode with HMAC-SHA256, as the SEV API spec defines it."""
    out = b''
    i = 1
    while len(out) < length:
        msg = struct.pack('<I', i) + label + b'\0' + context + struct.pack('<I', length * 8)
        out += hmac.new(key, msg, hashlib.sha256).digest()
        i += 1
    return out[:length]


def measurement(tik, digest, nonce, api=(1, 40), build=40, policy=3):
    msg = bytes([0x04, api[0], api[1], build]) + struct.pack('<I', policy) + digest + nonce
    return hmac.new(tik, msg, hashlib.sha256).digest()


def pdh_cert(public_key, usage=0x1003):
    """An SEV certificate for @public_key written from the spec's offsets (appendix C.1)."""
    nums = public_key.public_numbers()
    cert = bytearray(0x824)
    struct.pack_into('<IBBHII', cert, 0, 1, 0, 22, 0, usage, 0x3)
    struct.pack_into('<I', cert, 0x10, 2)
    cert[0x14:0x14 + 48] = nums.x.to_bytes(48, 'little')
    cert[0x5C:0x5C + 48] = nums.y.to_bytes(48, 'little')
    struct.pack_into('<II', cert, 0x414, 0x1000, 0)
    struct.pack_into('<II', cert, 0x61C, 0x1000, 0)
    return bytes(cert)


def godh_public_key(godh):
    x = int.from_bytes(godh[0x14:0x14 + 72], 'little')
    y = int.from_bytes(godh[0x5C:0x5C + 72], 'little')
    return ec.EllipticCurvePublicNumbers(x, y, ec.SECP384R1()).public_key()


class OwnerTestCase(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        if not SEVLAUNCH:
            raise unittest.SkipTest('SEVLAUNCH is not set (src/sevlaunch not built)')
        cls.env = dict(os.environ, LC_ALL='C.UTF-8')

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix='sl-owner-')
        self.addCleanup(shutil.rmtree, self.tmp, True)

    def path(self, *parts):
        return os.path.join(self.tmp, *parts)

    def run_cli(self, *args, env=None, **kwargs):
        p = subprocess.run([SEVLAUNCH, *args], capture_output=True,
                           env=dict(self.env, **(env or {})), timeout=RUN_TIMEOUT, check=False,
                           **kwargs)
        # every JSON document is checked against its schema, and kept for the test
        p.json = jsonschemas.check_output(args, p.stdout, p.returncode)
        p.stdout = p.stdout.decode('utf-8', errors='replace')
        p.stderr = p.stderr.decode('utf-8', errors='replace')
        return p

    def assert_exit(self, p, code, *mentions):
        self.assertEqual(p.returncode, code, p.stdout + p.stderr)
        for text in mentions:
            self.assertIn(text, p.stderr)

    def chain_copy(self, generation):
        """A writable copy of a platform chain, to tamper with."""
        dst = self.path('chain-' + generation)
        os.mkdir(dst)
        for name in ('pdh.cert', 'pek.cert', 'oca.cert', 'cek.cert'):
            shutil.copy(os.path.join(CERTS, 'chains', generation, name), dst)
        return dst


class CertsTest(OwnerTestCase):

    def certs_json(self, *args):
        p = self.run_cli('certs', '--json', *args)
        return p, json.loads(p.stdout)

    def test_naples_and_rome_verify(self):
        for gen in ('naples', 'rome'):
            p, r = self.certs_json('--chain', os.path.join(CERTS, 'chains', gen), '--generation', gen)
            self.assert_exit(p, 0)
            self.assertTrue(r['verified'])
            self.assertEqual(r['amd_keys'], {'source': 'built-in', 'generation': gen, 'detected': False})
            self.assertEqual(sorted(links(r)), sorted(LINKS))
            for link in LINKS:
                self.assertEqual(links(r)[link], {'signer': link[:3], 'subject': link[-3:],
                                                  'ok': True}, link)

    def test_text_report(self):
        p = self.run_cli('certs', '--chain', os.path.join(CERTS, 'chains', 'rome'), '--generation', 'rome')
        self.assert_exit(p, 0)
        self.assertIn('  - signer: pek\n    subject: pdh\n    ok: yes\n', p.stdout)
        self.assertIn('\nverified: yes\n', p.stdout)

    def test_write_error_on_stdout(self):
        for json_flag in ([], ['--json']):
            with open('/dev/full', 'wb') as full:
                p = subprocess.run([SEVLAUNCH, 'certs', *json_flag, '--chain',
                                    os.path.join(CERTS, 'chains', 'rome'), '--generation', 'rome'],
                                   stdout=full, stderr=subprocess.PIPE, text=True, env=self.env,
                                   timeout=RUN_TIMEOUT)
            p.stdout = ''
            self.assert_exit(p, 2, 'cannot write', 'stdout')

    def test_ark_ask_files(self):
        p = self.run_cli('certs', '--chain', os.path.join(CERTS, 'chains', 'naples'),
                         '--ark', os.path.join(CERTS, 'builtin', 'naples', 'ark.cert'),
                         '--ask', os.path.join(CERTS, 'builtin', 'naples', 'ask.cert'))
        self.assert_exit(p, 0)

    def test_naples_ark_bad(self):
        p = self.run_cli('certs', '--chain', os.path.join(CERTS, 'chains', 'naples'),
                         '--ark', os.path.join(CERTS, 'chains', 'naples', 'ark.cert.bad'),
                         '--ask', os.path.join(CERTS, 'builtin', 'naples', 'ask.cert'))
        self.assert_exit(p, 2, 'ark.cert.bad', 'truncated')

    def test_wrong_generation_exits_4(self):
        p, r = self.certs_json('--chain', os.path.join(CERTS, 'chains', 'rome'), '--generation', 'milan')
        self.assertEqual(p.returncode, 4)
        self.assertFalse(r['verified'])
        self.assertEqual(r['exit_code'], 4)
        self.assertIs(links(r)['ask_signs_cek']['ok'], False)
        self.assertIn('cek.cert', links(r)['ask_signs_cek']['reason'])
        self.assertIs(links(r)['pek_signs_pdh']['ok'], True)
        self.assertEqual(r['error']['class'], 'not-verifiable')
        # text mode shows every link too
        p = self.run_cli('certs', '--chain', os.path.join(CERTS, 'chains', 'rome'), '--generation', 'milan')
        self.assert_exit(p, 4, 'ASK -> CEK', 'cek.cert')
        self.assertIn('  - signer: ask\n    subject: cek\n    ok: no\n    reason: ', p.stdout)

    def test_flipped_byte_names_cert(self):
        for name, offset in (('pdh.cert', 0x30), ('pek.cert', 0x630), ('oca.cert', 0x420),
                             ('cek.cert', 0x500)):
            chain = self.chain_copy('rome')
            cert = bytearray(read(os.path.join(chain, name)))
            cert[offset] ^= 0x80
            with open(os.path.join(chain, name), 'wb') as f:
                f.write(cert)
            p = self.run_cli('certs', '--chain', chain, '--generation', 'rome')
            self.assert_exit(p, 4, name, 'does not verify')
            shutil.rmtree(chain)

    def test_wrong_usage(self):
        chain = self.chain_copy('naples')
        shutil.copy(os.path.join(chain, 'oca.cert'), os.path.join(chain, 'pdh.cert'))
        p = self.run_cli('certs', '--chain', chain, '--generation', 'naples')
        self.assert_exit(p, 4, 'usage is OCA')

    def test_malformed_files_exit_2(self):
        chain = self.chain_copy('naples')
        pek = os.path.join(chain, 'pek.cert')
        good = read(pek)
        for content, why in ((good[:-1], 'truncated'), (good + b'\0', 'trailing'),
                             (good * 3, 'larger than'), (b'', 'truncated')):
            with open(pek, 'wb') as f:
                f.write(content)
            p = self.run_cli('certs', '--chain', chain, '--generation', 'naples')
            self.assert_exit(p, 2, 'pek.cert', why)
        os.unlink(pek)
        self.assert_exit(self.run_cli('certs', '--chain', chain, '--generation', 'naples'), 2, 'pek.cert')

    def test_usage_errors(self):
        rome = os.path.join(CERTS, 'chains', 'rome')
        ark = os.path.join(CERTS, 'builtin', 'rome', 'ark.cert')
        self.assert_exit(self.run_cli('certs', '--generation', 'rome'), 2, '--chain')
        self.assert_exit(self.run_cli('certs', '--chain', rome), 2, '--generation')
        self.assert_exit(self.run_cli('certs', '--chain', rome, '--generation', 'rome', '--ark', ark), 2,
                         '--generation')
        self.assert_exit(self.run_cli('certs', '--chain', rome, '--ark', ark), 2, '--ask')
        self.assert_exit(self.run_cli('certs', '--chain', rome, '--generation', 'zen9'), 2, 'zen9')


class SessionTestCase(OwnerTestCase):

    def run_session(self, *args, out='out'):
        return self.run_cli('session', '--out-dir', self.path(out), *args)

    def run_unverified(self, *args, out='out', **kwargs):
        """A session on the test's own PDH, which no AMD chain signs."""
        return self.run_cli('session', '--out-dir', self.path(out), '--no-verify-chain', *args, **kwargs)

    def platform(self):
        key = ec.generate_private_key(ec.SECP384R1())
        path = self.path('pdh.cert')
        with open(path, 'wb') as f:
            f.write(pdh_cert(key.public_key()))
        return key, path


class SessionTest(SessionTestCase):

    def test_round_trip(self):
        key, pdh = self.platform()
        p = self.run_unverified('--pdh', pdh, '--policy', '0x3')
        self.assert_exit(p, 0)
        out = self.path('out')
        for name in SESSION_FILES:
            st = os.stat(os.path.join(out, name))
            self.assertEqual(stat.S_IMODE(st.st_mode), 0o600, name)
        godh = base64.b64decode(read(os.path.join(out, 'godh.b64')), validate=True)
        blob = base64.b64decode(read(os.path.join(out, 'session.b64')), validate=True)
        self.assertEqual(len(godh), 0x824)
        self.assertEqual(len(blob), 128)
        # version 1, no firmware version, usage PDH, ECDH SHA-256, P-384, unsigned
        self.assertEqual(struct.unpack_from('<IIIII', godh, 0), (1, 0, 0x1003, 0x3, 2))
        self.assertEqual(struct.unpack_from('<II', godh, 0x414), (0x1000, 0))
        # the platform's side: its own ECDH, KDF, MAC check and unwrap
        z = key.exchange(ec.ECDH(), godh_public_key(godh))
        nonce, wrap_tk, wrap_iv, wrap_mac, policy_mac = (blob[:16], blob[16:48], blob[48:64],
                                                         blob[64:96], blob[96:])
        master = kdf(z, b'sev-master-secret', nonce)
        kek = kdf(master, b'sev-kek', b'')
        kik = kdf(master, b'sev-kik', b'')
        self.assertEqual(hmac.new(kik, wrap_tk, hashlib.sha256).digest(), wrap_mac)
        dec = Cipher(algorithms.AES(kek), modes.CTR(wrap_iv)).decryptor()
        tk = dec.update(wrap_tk) + dec.finalize()
        tek, tik = tk[:16], tk[16:]
        self.assertEqual(read(os.path.join(out, 'tek.bin')), tek)
        self.assertEqual(read(os.path.join(out, 'tik.bin')), tik)
        self.assertEqual(read(os.path.join(out, 'tk.bin')), tk)
        self.assertEqual(hmac.new(tik, struct.pack('<I', 3), hashlib.sha256).digest(), policy_mac)
        # keys never reach the output, in any form
        for secret in (tek, tik, tk, kek, kik, master, z):
            for form in (secret.hex(), secret.hex().upper(), base64.b64encode(secret).decode()):
                self.assertNotIn(form, p.stdout + p.stderr)
        self.verify_with_tk(os.path.join(out, 'tk.bin'), tik)

    def verify_with_tk(self, tk_path, tik):
        # the measurement formula, pinned to the published M3 vector first
        m3 = base64.b64decode(M3_BLOB)
        digest = hashlib.sha256(read(SEVCTL_FW)).digest()
        self.assertEqual(measurement(read(TIK1), digest, m3[32:]), m3[:32])
        nonce = base64.b64decode(M_NONCE)
        good = base64.b64encode(measurement(tik, digest, nonce) + nonce).decode()
        p = self.run_cli('verify', '--firmware', SEVCTL_FW, '--tk', tk_path, *M_PARAMS, '--measurement', good)
        self.assert_exit(p, 0)
        bad = base64.b64encode(measurement(tik, digest, nonce, policy=1) + nonce).decode()
        p = self.run_cli('verify', '--firmware', SEVCTL_FW, '--tk', tk_path, *M_PARAMS, '--measurement', bad)
        self.assert_exit(p, 1)

    def test_json_report(self):
        _, pdh = self.platform()
        p = self.run_unverified('--pdh', pdh, '--policy', '1', '--json')
        self.assert_exit(p, 0)
        r = json.loads(p.stdout)
        self.assertEqual(r['policy'], 1)
        self.assertEqual(r['files']['tk'], self.path('out', 'tk.bin'))
        self.assertEqual(r['certificate_chain'], {'verified': False, 'path': None})

    def test_refuses_to_overwrite(self):
        _, pdh = self.platform()
        self.assert_exit(self.run_unverified('--pdh', pdh, '--policy', '1'), 0)
        before = {n: read(self.path('out', n)) for n in SESSION_FILES}
        self.assert_exit(self.run_unverified('--pdh', pdh, '--policy', '1'), 2, 'exists')
        self.assertEqual(before, {n: read(self.path('out', n)) for n in SESSION_FILES})

    def test_planted_symlink_refused(self):
        _, pdh = self.platform()
        os.mkdir(self.path('out'))
        target = self.path('elsewhere')
        os.symlink(target, self.path('out', 'tk.bin'))
        self.assert_exit(self.run_unverified('--pdh', pdh, '--policy', '1'), 2, 'tk.bin')
        self.assertFalse(os.path.exists(target))
        self.assertEqual(sorted(os.listdir(self.path('out'))), ['tk.bin'])

    def test_with_verified_chain(self):
        rome = os.path.join(CERTS, 'chains', 'rome')
        p = self.run_session('--chain', rome, '--generation', 'rome', '--policy', '0x5')
        self.assert_exit(p, 0)
        self.assertIn('certificate chain:\n  verified: yes\n', p.stdout)
        self.assertEqual(len(read(self.path('out', 'tk.bin'))), 32)
        # --pdh must then be the chain's own PDH
        p = self.run_session('--chain', rome, '--generation', 'rome', '--policy', '0x5',
                             '--pdh', os.path.join(rome, 'pdh.cert'), out='out2')
        self.assert_exit(p, 0)
        _, other = self.platform()
        p = self.run_session('--chain', rome, '--generation', 'rome', '--policy', '0x5', '--pdh', other,
                             out='out3')
        self.assert_exit(p, 4, 'not the PDH of the verified chain')
        self.assertFalse(os.path.exists(self.path('out3', 'tk.bin')))

    def test_unverified_chain_refused(self):
        p = self.run_session('--chain', os.path.join(CERTS, 'chains', 'rome'), '--generation', 'naples',
                             '--policy', '1')
        self.assert_exit(p, 4, 'does not verify')
        self.assertFalse(os.path.exists(self.path('out', 'tk.bin')))

    def test_bad_inputs(self):
        key, pdh = self.platform()
        self.assert_exit(self.run_unverified('--pdh', pdh), 2, '--policy')
        self.assert_exit(self.run_unverified('--pdh', pdh, '--policy', '0x100000000'), 2, '--policy')
        self.assert_exit(self.run_cli('session', '--pdh', pdh, '--no-verify-chain', '--policy', '1'), 2,
                         '--out-dir')
        self.assert_exit(self.run_session('--policy', '1'), 2, '--pdh')
        self.assert_exit(self.run_unverified('--pdh', pdh, '--policy', '1', '--generation', 'rome'), 2,
                         '--chain')
        # a PEK is no key-agreement key; a truncated PDH is malformed
        with open(pdh, 'wb') as f:
            f.write(pdh_cert(key.public_key(), usage=0x1002))
        self.assert_exit(self.run_unverified('--pdh', pdh, '--policy', '1'), 2, 'not a PDH')
        with open(pdh, 'wb') as f:
            f.write(pdh_cert(key.public_key())[:-4])
        self.assert_exit(self.run_unverified('--pdh', pdh, '--policy', '1'), 2, 'truncated')
        self.assertFalse(os.path.exists(self.path('out', 'tk.bin')))


class SessionChainTest(SessionTestCase):
    """A session is built only on a verified PDH unless the user says otherwise (issue 7, item 9)."""

    def test_pdh_alone_refused(self):
        _, pdh = self.platform()
        p = self.run_session('--pdh', pdh, '--policy', '1')
        self.assert_exit(p, 2, '--no-verify-chain', '--chain')
        self.assertEqual(len(p.stderr.splitlines()), 1, p.stderr)
        self.assertFalse(os.path.exists(self.path('out')))

    def test_no_verify_chain_warns(self):
        _, pdh = self.platform()
        p = self.run_unverified('--pdh', pdh, '--policy', '1')
        self.assert_exit(p, 0)
        lines = p.stderr.splitlines()
        self.assertEqual(len(lines), 1, p.stderr)
        self.assertTrue(lines[0].startswith('sevlaunch: warning: '), p.stderr)
        self.assertIn(pdh, lines[0])
        self.assertIn('certificate chain:\n  verified: no\n', p.stdout)
        self.assertEqual(sorted(os.listdir(self.path('out'))), sorted(SESSION_FILES))

    def test_no_verify_chain_with_chain_refused(self):
        rome = os.path.join(CERTS, 'chains', 'rome')
        p = self.run_unverified('--chain', rome, '--generation', 'rome', '--policy', '1')
        self.assert_exit(p, 2, '--no-verify-chain')
        self.assertFalse(os.path.exists(self.path('out')))

    def test_nothing_given(self):
        self.assert_exit(self.run_session('--policy', '1'), 2, '--chain', '--pdh')


class SessionSignalTest(SessionTestCase):
    """A session is written all or nothing, whatever signal arrives (issue 7, item 7)."""

    STAGES = ['out-dir'] + SESSION_FILES + ['commit']
    SIGNALS = [signal.SIGINT, signal.SIGTERM, signal.SIGHUP]

    def interrupted(self, pdh, stage, signo, out):
        hook = {'SEVLAUNCH_TEST_SESSION_SIGNAL': '%s:%d' % (stage, signo)}
        return self.run_unverified('--pdh', pdh, '--policy', '1', out=out, env=hook)

    def assert_interrupted(self, p, signo):
        self.assertEqual(p.returncode, -signo, p.stdout + p.stderr)
        self.assertIn('interrupted by %s' % signal.Signals(signo).name, p.stderr)
        self.assertIn('no session file was written', p.stderr)

    def test_each_stage_new_dir(self):
        _, pdh = self.platform()
        for i, stage in enumerate(self.STAGES):
            signo = self.SIGNALS[i % len(self.SIGNALS)]
            with self.subTest(stage=stage, signal=signo.name):
                out = os.path.join('new-%d' % i, 'nested')
                self.assert_interrupted(self.interrupted(pdh, stage, signo, out), signo)
                # not even the directories the run created
                self.assertFalse(os.path.exists(self.path('new-%d' % i)))

    def test_each_stage_existing_dir(self):
        _, pdh = self.platform()
        os.mkdir(self.path('out'))
        for i, stage in enumerate(self.STAGES):
            signo = self.SIGNALS[(i + 1) % len(self.SIGNALS)]
            with self.subTest(stage=stage, signal=signo.name):
                self.assert_interrupted(self.interrupted(pdh, stage, signo, 'out'), signo)
                self.assertEqual(os.listdir(self.path('out')), [])
        # and a rerun is not refused
        self.assert_exit(self.run_unverified('--pdh', pdh, '--policy', '1'), 0)
        self.assertEqual(sorted(os.listdir(self.path('out'))), sorted(SESSION_FILES))

    def test_signal_from_outside(self):
        """Signals at random moments: every run leaves all five files or none."""
        _, pdh = self.platform()
        env = dict(self.env)
        # a run takes some 30 ms: the signals land before, during and after the writing
        for i in range(16):
            out = self.path('run-%d' % i)
            proc = subprocess.Popen([SEVLAUNCH, 'session', '--out-dir', out, '--no-verify-chain',
                                     '--pdh', pdh, '--policy', '1'], env=env,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(0.0025 * i)
            proc.send_signal(self.SIGNALS[i % 3])
            rc = proc.wait(timeout=RUN_TIMEOUT)
            if rc == 0:
                self.assertEqual(sorted(os.listdir(out)), sorted(SESSION_FILES))
            else:
                self.assertEqual(rc, -self.SIGNALS[i % 3])
                self.assertFalse(os.path.exists(out), os.listdir(out) if os.path.isdir(out) else out)

    def test_refused_write_leaves_no_dir(self):
        """A file that cannot be written: the directory the run created goes too."""
        _, pdh = self.platform()

        def small_files():
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (64, 64))
        p = self.run_unverified('--pdh', pdh, '--policy', '1', out='new', preexec_fn=small_files)
        self.assert_exit(p, 2, 'File too large')
        self.assertFalse(os.path.exists(self.path('new')))


if __name__ == '__main__':
    unittest.main(verbosity=2)
