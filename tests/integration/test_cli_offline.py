#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The sevlaunch command line without a guest: measure, verify (offline, and its packet), ovmf.

Expected values are the published vectors of tests/data/VECTORS.md or are computed
here with hashlib from the fixtures; nothing is taken from sevlaunch's own output.
Every command run here is also checked for leaked key bytes and secret contents.
"""

import base64
import hashlib
import json
import os
import re
import shutil
import struct
import subprocess
import tempfile
import unittest
import uuid

import harness
import jsonschemas

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.environ.get('TEST_DATA', os.path.join(HERE, '..', 'data'))
SEVLAUNCH = os.environ.get('SEVLAUNCH')
DEBIAN_OVMF = '/usr/share/ovmf/OVMF.fd'
GNU_TIME = '/usr/bin/time'
RUN_TIMEOUT = 60 * float(os.environ.get('SEVLAUNCH_TIMEOUT_SCALE', '1'))


def data(*parts):
    return os.path.join(DATA, *parts)


SEVCTL_FW = data('sevctl', 'OVMF.amdsev.fd_trimmed_edk2-ovmf-20220126gitbb1bba3d77-4.el9')
AMDSEV_FW = data('sev-snp-measure', 'ovmf_AmdSev_suffix.bin')
X64_FW = data('sev-snp-measure', 'ovmf_OvmfX64_suffix.bin')
KERNEL = data('sevctl', 'vmlinuz-fake')
INITRD = data('sevctl', 'initrd-fake')
VMSA0 = data('sevctl', 'vmsa0.bin')
VMSA1 = data('sevctl', 'vmsa1.bin')

# VECTORS.md section 1
M_NONCE = 'wxP6tRHCFrFQWxsuqZA8QA=='
M3_BLOB = 'oMDewIouJSpbpNRHj7Mk3p08H2dPZQdsZMU14qIymBnDE/q1EcIWsVBbGy6pkDxA'
M4_BLOB = 'h3auYbWQnVW7EGLWN4Hf9SN0oEYMPU2sK4bLnefWPwvDE/q1EcIWsVBbGy6pkDxA'
M4_CMDLINE = 'foo bar baz fake kernel=cmdline'
M4_LD = '4b47fec6f851487c33714c8a00a832a1b705ad0a7cac4a647388eccfa9f0c570'
M5_BLOB = '/o0nzDKE5XgtVnUZWPhUea/WZYrTKLExR7KCwuMdbActvpWfXTFk21KMZIAAhQny'
M5_LD = '847b5ab6db136ea67dc5a95478ebe7e5ebbe93e9e74bdb1284165f9007a4e367'
M_PARAMS = ['--api-major', '1', '--api-minor', '40', '--build-id', '40', '--policy', '0x3']
M5_PARAMS = ['--api-major', '1', '--api-minor', '49', '--build-id', '6', '--policy', '0x5']
M5_FMS = ['--cpu-family', '25', '--cpu-model', '1', '--cpu-stepping', '1']

# VECTORS.md section 2
D1_LD = '82a3ee5d537c3620628270c292ae30cb40c3c878666a7890ee7ef2a08fb535ff'
D2_LD = '77f613d7bbcdf12a73782ea9e88b0172aeda50d1a54201cb903594ff52846898'
D3_LD = 'b4c021e085fb83ceffe6571a3d357b4a98773c83c474e47f76c876708fe316da'
D4_LD = '13810ae661ea11e2bb205621f582fee268f0367c8f97bc297b7fadef3e12002c'
D5_LD = '0dccbcaba8e90b261bd0d2e1863a2f9da714768b7b2a19363cd6ae35aa90de91'

# VECTORS.md section 4: the GUIDs; the fixed-IV packets are test-secret-packet's (the CLI has no --iv)
S_IV = 'rFR07U3TLH2YnsUj2SVZ7A=='
S1_GUID = '736869e5-84f0-4973-92ec-06879ce3da0b'
S2_GUID = '736869e5-aaaa-4973-92ec-06879ce3da0b'
S3_GUID = '23058844-597b-42fb-8259-a0f5d9d495af'

# the OVMF reset vector footer table (edk2 OvmfPkg ResetVector), parsed here independently
OVMF_FOOTER_GUID = uuid.UUID('96b582de-1fb2-45f7-baea-a366c55a082d').bytes_le
OVMF_SEV_ES_RESET_GUID = uuid.UUID('00f771de-1a7e-4fcb-890e-68c77e2fb44e').bytes_le
OVMF_SECRET_GUID = uuid.UUID('4c2eb361-7d9b-4cc3-8081-127c90d3d294').bytes_le
OVMF_HASHES_GUID = uuid.UUID('7255371f-3a3b-4b04-927b-1da6efa8d454').bytes_le

# SEV-ES save area offsets (AMD APM vol. 2, Linux struct sev_es_save_area)
VMSA_CS_BASE = 0x18
VMSA_RIP = 0x178
VMSA_RDX = 0x310

HEX64 = re.compile(r'^[0-9a-f]{64}$')


def read(path):
    with open(path, 'rb') as f:
        return f.read()


def sha256_hex(*chunks):
    h = hashlib.sha256()
    for c in chunks:
        h.update(c)
    return h.hexdigest()


def sev_launch_digest(firmware, kernel, initrd, cmdline):
    """VECTORS.md section 2, plain SEV: sha256(firmware || padded kernel hashes table)."""
    entries = [('97d02dd8-bd20-4c94-aa78-e7714d36ab2a', cmdline + b'\0'),
               ('44baf731-3a2f-4bd7-9af1-41e29169781d', initrd),
               ('4de79437-abd2-427f-b835-d5b172d2045b', kernel)]
    body = b''.join(uuid.UUID(g).bytes_le + struct.pack('<H', 50) + hashlib.sha256(d).digest()
                    for g, d in entries)
    table = uuid.UUID('9438d606-4f22-4cc9-b479-a793d411fd21').bytes_le + struct.pack('<H', 18 + len(body)) + body
    table += bytes(-len(table) % 16)
    return sha256_hex(firmware, table)

def cpu_signature(family, model, stepping):
    """CPUID 1 EAX as QEMU builds it from a CPU model's family/model/stepping."""
    sig = stepping & 0xf
    sig |= (model & 0xf) << 4 | (model >> 4) << 16
    if family > 0xf:
        sig |= 0xf << 8 | (family - 0xf) << 20
    else:
        sig |= family << 8
    return sig


def ovmf_footer_entries(image):
    """{guid_le: data} of the footer table, or {} if the image has none."""
    footer = len(image) - 48
    if image[footer:footer + 16] != OVMF_FOOTER_GUID:
        return {}
    table_len = struct.unpack_from('<H', image, footer - 2)[0]
    start = footer + 16 - table_len
    end = footer - 2
    entries = {}
    while end > start:
        guid = image[end - 16:end]
        entry_len = struct.unpack_from('<H', image, end - 18)[0]
        entries[guid] = image[end - entry_len:end - 18]
        end -= entry_len
    return entries


def with_ap_reset(page, reset_addr):
    """An AP VMSA that starts at @reset_addr, as QEMU sets CS base and RIP."""
    page = bytearray(page)
    struct.pack_into('<Q', page, VMSA_CS_BASE, reset_addr & 0xffff0000)
    struct.pack_into('<Q', page, VMSA_RIP, reset_addr & 0xffff)
    return bytes(page)


def with_rdx(page, value):
    page = bytearray(page)
    struct.pack_into('<Q', page, VMSA_RDX, value)
    return bytes(page)


def write_file(path, content, mode=0o600):
    with open(path, 'wb') as f:
        f.write(content)
    os.chmod(path, mode)
    return path


# runs of these commands get --json (see CliTestCase.run_cli)
JSON_COMMANDS = ('measure', 'verify', 'ovmf')


def report(text):
    """The text report as a dict of 'key: value' lines."""
    out = {}
    for line in text.splitlines():
        key, sep, value = line.partition(': ')
        if sep:
            out[key] = value
    return out


class Keys:
    """Key and secret files copied with mode 0600 (git hands them out as 0644)."""

    def __init__(self, tmp):
        def copy(src, name):
            return write_file(os.path.join(tmp, name), read(src))
        self.tik = copy(data('sevctl', 'tik1.bin'), 'tik1.bin')
        self.stik = copy(data('sevctl', 'secret', 'tik1.bin'), 'stik1.bin')
        self.stek = copy(data('sevctl', 'secret', 'tek1.bin'), 'stek1.bin')
        self.secrets = [copy(data('sevctl', 'secret', 'secret%d.txt' % i), 'secret%d.txt' % i)
                        for i in range(1, 5)]
        self.stk = write_file(os.path.join(tmp, 'stk.bin'), read(self.stek) + read(self.stik))
        self.forbidden = []
        for path in (self.tik, self.stik, self.stek, self.stk):
            key = read(path)
            b64 = base64.b64encode(key).decode()
            self.forbidden += [key.hex(), key.hex().upper(), b64, b64.rstrip('=')]
        for path in self.secrets:
            content = read(path)
            self.forbidden += [content.decode(), base64.b64encode(content).decode()]


class CliTestCase(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        if not SEVLAUNCH:
            raise unittest.SkipTest('SEVLAUNCH is not set (src/sevlaunch not built)')
        cls.classtmp = tempfile.mkdtemp(prefix='sl-cli-')
        cls.keys = Keys(cls.classtmp)
        # English messages, but GLib's quotes stay UTF-8 as a user sees them
        cls.env = dict(os.environ, LC_ALL='C.UTF-8')

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.classtmp, ignore_errors=True)

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix='sl-cli-', dir=self.classtmp)

    def path(self, name):
        return os.path.join(self.tmp, name)

    def run_cli(self, *args, wrapper=(), text=False):
        """Runs sevlaunch; these commands print JSON unless @text, so every run is schema-checked."""
        args = [str(a) for a in args]
        if not text and args and args[0] in JSON_COMMANDS and '--json' not in args:
            args.insert(1, '--json')
        cmd = list(wrapper) + [SEVLAUNCH] + args
        p = subprocess.run(cmd, capture_output=True, timeout=RUN_TIMEOUT, env=self.env)
        # every JSON document is checked against its schema, and kept for the test
        p.json = jsonschemas.check_output(args, p.stdout, p.returncode)
        p.stdout = p.stdout.decode('utf-8', errors='replace')
        p.stderr = p.stderr.decode('utf-8', errors='replace')
        self.assert_no_leak(p)
        return p

    def assert_no_leak(self, p):
        for needle in self.keys.forbidden:
            self.assertNotIn(needle, p.stdout, 'key or secret bytes on stdout')
            self.assertNotIn(needle, p.stderr, 'key or secret bytes on stderr')

    def assert_ok(self, p):
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stderr, '')
        return p.json if p.json is not None else report(p.stdout)

    def assert_error(self, p, code, *needles, stdout_empty=True):
        """Exit @code and exactly one stderr line 'sevlaunch: ...' containing each needle."""
        self.assertEqual(p.returncode, code, 'stdout=%r stderr=%r' % (p.stdout, p.stderr))
        lines = p.stderr.split('\n')
        self.assertEqual(len(lines), 2, 'not one line: %r' % p.stderr)
        self.assertEqual(lines[1], '', p.stderr)
        self.assertTrue(lines[0].startswith('sevlaunch: '), p.stderr)
        for needle in needles:
            self.assertIn(needle, lines[0])
        if p.json is not None:
            # --json: the one object carries the same error as the one line
            self.assertEqual(p.json['error']['message'], lines[0][len('sevlaunch: '):])
        elif stdout_empty:
            self.assertEqual(p.stdout, '')
        return lines[0]

    def measure(self, *args):
        return self.run_cli('measure', *args)

    def measure_ok(self, *args):
        return self.assert_ok(self.measure(*args))

    def empty_file(self, name):
        return write_file(self.path(name), b'', 0o644)


class MeasureTest(CliTestCase):

    def test_m3_with_nonce(self):
        r = self.measure_ok('--firmware', SEVCTL_FW, '--tik', self.keys.tik, *M_PARAMS,
                            '--nonce', M_NONCE)
        self.assertEqual(r['launch_measure_blob'], M3_BLOB)
        self.assertEqual(r['launch_digest'], sha256_hex(read(SEVCTL_FW)))
        self.assertEqual(r['guest']['sev_mode'], 'SEV')

    def test_m3_with_launch_measure_blob(self):
        r = self.measure_ok('--firmware', SEVCTL_FW, '--tik', self.keys.tik, *M_PARAMS,
                            '--launch-measure-blob', M3_BLOB)
        self.assertEqual(r['launch_measure_blob'], M3_BLOB)

    def test_m3_with_tk(self):
        # the TK is TEK || TIK: the TIK half is what measures
        tk = write_file(self.path('tk.bin'), bytes(16) + read(self.keys.tik))
        r = self.measure_ok('--firmware', SEVCTL_FW, '--tk', tk, *M_PARAMS, '--nonce', M_NONCE)
        self.assertEqual(r['launch_measure_blob'], M3_BLOB)

    def test_m3_with_tek_unused(self):
        # a TEK passed as every launch passes it is not used to measure, as with --tk
        r = self.measure_ok('--firmware', SEVCTL_FW, '--tik', self.keys.tik, '--tek', self.keys.stek,
                            *M_PARAMS, '--nonce', M_NONCE)
        self.assertEqual(r['launch_measure_blob'], M3_BLOB)

    def test_tek_still_checked_when_unused(self):
        p = self.measure('--firmware', SEVCTL_FW, '--tik', self.keys.tik,
                         '--tek', write_file(self.path('tek-15'), bytes(15)), *M_PARAMS, '--nonce', M_NONCE)
        self.assert_error(p, 2, 'tek-15', '15')
        p = self.measure('--firmware', SEVCTL_FW, '--tk', self.keys.stk, '--tek', self.keys.stek,
                         *M_PARAMS, '--nonce', M_NONCE)
        self.assert_error(p, 2, '--tk', '--tek')

    def m4_args(self):
        return ['--firmware', SEVCTL_FW, '--kernel', KERNEL, '--initrd', INITRD,
                '--cmdline', M4_CMDLINE, '--tik', self.keys.tik, *M_PARAMS]

    def test_m4_with_nonce(self):
        r = self.measure_ok(*self.m4_args(), '--nonce', M_NONCE)
        self.assertEqual(r['launch_digest'], M4_LD)
        self.assertEqual(r['launch_measure_blob'], M4_BLOB)
        self.assertEqual(r['artifacts']['kernel']['sha256'], sha256_hex(read(KERNEL)))
        self.assertEqual(r['artifacts']['initrd']['sha256'], sha256_hex(read(INITRD)))
        self.assertEqual(r['artifacts']['cmdline']['sha256'], sha256_hex(M4_CMDLINE.encode() + b'\0'))

    def test_m4_with_launch_measure_blob(self):
        r = self.measure_ok(*self.m4_args(), '--launch-measure-blob', M4_BLOB)
        self.assertEqual(r['launch_measure_blob'], M4_BLOB)

    def test_d1(self):
        kernel, initrd = self.empty_file('k'), self.empty_file('i')
        r = self.measure_ok('--firmware', AMDSEV_FW, '--kernel', kernel, '--initrd', initrd,
                            '--cmdline', 'console=ttyS0 loglevel=7')
        self.assertEqual(r['launch_digest'], D1_LD)
        self.assertNotIn('measurement', r)

    def measure_cmdline_bytes(self, cmdline, locale):
        """measure --json with --cmdline passed as raw argv bytes, under @locale."""
        kernel, initrd = self.empty_file('k'), self.empty_file('i')
        args = [SEVLAUNCH, 'measure', '--json', '--firmware', AMDSEV_FW, '--kernel', kernel,
                '--initrd', initrd]
        p = subprocess.run([a.encode() for a in args] + [b'--cmdline', cmdline], capture_output=True,
                           timeout=RUN_TIMEOUT, env=dict(self.env, LC_ALL=locale))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stderr, b'')
        # the report stays valid UTF-8 JSON even for a cmdline that is not UTF-8
        return jsonschemas.check_output(['measure', '--json'], p.stdout, p.returncode)

    def test_cmdline_is_hashed_as_bytes_in_any_locale(self):
        # QEMU hashes argv as it is: no locale conversion, no UTF-8 requirement
        self.assertEqual(sev_launch_digest(read(AMDSEV_FW), b'', b'', b'console=ttyS0 loglevel=7'), D1_LD)
        for cmdline in ('root=/dev/vda1 msg=h\u00e9llo \u2603'.encode(), b'console=ttyS0 x=\xff\xfe latin1=\xe9'):
            for locale in ('C', 'C.UTF-8'):
                with self.subTest(cmdline=cmdline, locale=locale):
                    r = self.measure_cmdline_bytes(cmdline, locale)
                    self.assertEqual(r['launch_digest'], sev_launch_digest(read(AMDSEV_FW), b'', b'', cmdline))
                    self.assertEqual(r['artifacts']['cmdline']['sha256'], sha256_hex(cmdline, b'\0'))

    def test_d2(self):
        r = self.measure_ok('--firmware', AMDSEV_FW, '--kernel', self.empty_file('k'))
        self.assertEqual(r['launch_digest'], D2_LD)
        # no initrd: sha256 of nothing; no cmdline: sha256 of one NUL
        self.assertEqual(r['artifacts']['initrd']['sha256'], sha256_hex(b''))
        self.assertEqual(r['artifacts']['cmdline']['sha256'], sha256_hex(b'\0'))

    def test_d3(self):
        r = self.measure_ok('--firmware', X64_FW)
        self.assertEqual(r['launch_digest'], D3_LD)

    def d4_args(self, vcpus):
        return ['--firmware', AMDSEV_FW, '--kernel', self.empty_file('k'),
                '--initrd', self.empty_file('i'), '--cmdline', '', '--sev-es',
                '--vcpus', str(vcpus), '--cpu', 'EPYC-v4', '--vmsa-variant', 'init2']

    def test_d4(self):
        r = self.measure_ok(*self.d4_args(1))
        self.assertEqual(r['launch_digest'], D4_LD)
        self.assertEqual(r['guest']['sev_mode'], 'SEV-ES')
        self.assertEqual(r['artifacts']['cmdline']['sha256'], sha256_hex(b'\0'))

    def test_d5(self):
        r = self.measure_ok(*self.d4_args(4))
        self.assertEqual(r['launch_digest'], D5_LD)

    def test_m5_cpu_family_model_stepping(self):
        r = self.measure_ok('--firmware', SEVCTL_FW, *M5_FMS, '--vcpus', '4',
                            '--tik', self.keys.tik, *M5_PARAMS, '--launch-measure-blob', M5_BLOB)
        self.assertEqual(r['launch_digest'], M5_LD)
        self.assertEqual(r['launch_measure_blob'], M5_BLOB)
        self.assertEqual(r['guest']['sev_mode'], 'SEV-ES')
        # independently: firmware || BSP || AP x3
        self.assertEqual(M5_LD, sha256_hex(read(SEVCTL_FW), read(VMSA0), read(VMSA1) * 3))

    def test_m5_policy_alone(self):
        # a lone --policy with bit 0x4 selects SEV-ES, no key needed for the digest
        r = self.measure_ok('--firmware', SEVCTL_FW, *M5_FMS, '--vcpus', '4', '--policy', '0x5')
        self.assertEqual(r['launch_digest'], M5_LD)
        self.assertNotIn('measurement', r)

    def test_m5_vmsa_files(self):
        r = self.measure_ok('--firmware', SEVCTL_FW, '--vmsa-cpu0', VMSA0, '--vmsa-cpu1', VMSA1,
                            '--vcpus', '4', '--tik', self.keys.tik, *M5_PARAMS,
                            '--launch-measure-blob', M5_BLOB)
        self.assertEqual(r['launch_digest'], M5_LD)
        self.assertEqual(r['launch_measure_blob'], M5_BLOB)

    def test_vmsa_out(self):
        out = self.path('vmsas')
        r = self.measure_ok('--firmware', SEVCTL_FW, '--sev-es', *M5_FMS, '--vcpus', '4',
                            '--vmsa-out', out)
        self.assertEqual(r['launch_digest'], M5_LD)
        self.assertEqual(sorted(os.listdir(out)), ['vmsa%d.bin' % i for i in range(4)])
        self.assertEqual(read(os.path.join(out, 'vmsa0.bin')), read(VMSA0))
        for i in range(1, 4):
            self.assertEqual(read(os.path.join(out, 'vmsa%d.bin' % i)), read(VMSA1))

    def vmsa_out_run(self, out, *args):
        return self.measure('--firmware', SEVCTL_FW, '--sev-es', *M5_FMS, '--vcpus', '2',
                            '--vmsa-out', out, *args)

    def test_vmsa_out_existing_refused(self):
        """An existing file stays as it was, and no other VMSA file is written either."""
        out = self.path('vmsas')
        os.mkdir(out)
        old = write_file(os.path.join(out, 'vmsa1.bin'), b'old', 0o640)
        self.assert_error(self.vmsa_out_run(out), 2, '--vmsa-out', 'vmsa1.bin', 'exists', '--force')
        self.assertEqual(read(old), b'old')
        self.assertEqual(os.stat(old).st_mode & 0o777, 0o640)
        self.assertEqual(os.listdir(out), ['vmsa1.bin'])

    def test_vmsa_out_force_replaces(self):
        out = self.path('vmsas')
        os.mkdir(out)
        old = write_file(os.path.join(out, 'vmsa1.bin'), b'old', 0o600)
        self.assert_ok(self.vmsa_out_run(out, '--force'))
        self.assertEqual(read(old), read(VMSA1))
        self.assertEqual(read(os.path.join(out, 'vmsa0.bin')), read(VMSA0))
        self.assertEqual(sorted(os.listdir(out)), ['vmsa0.bin', 'vmsa1.bin'])

    def test_vmsa_out_never_through_links_fifos_or_inputs(self):
        out = self.path('vmsas')
        os.mkdir(out)
        target = write_file(self.path('target'), b'target', 0o600)
        os.symlink(target, os.path.join(out, 'vmsa0.bin'))
        self.assert_error(self.vmsa_out_run(out, '--force'), 2, 'symbolic link')
        self.assertEqual(read(target), b'target')
        os.unlink(os.path.join(out, 'vmsa0.bin'))
        os.mkfifo(os.path.join(out, 'vmsa1.bin'))
        self.assert_error(self.vmsa_out_run(out, '--force'), 2, 'vmsa1.bin', 'not a regular file')
        self.assertEqual(sorted(os.listdir(out)), ['vmsa1.bin'])
        # the command's own input, even under another name
        os.unlink(os.path.join(out, 'vmsa1.bin'))
        cpu0 = write_file(os.path.join(out, 'vmsa0.bin'), read(VMSA0), 0o600)
        self.assert_error(self.measure('--firmware', SEVCTL_FW, '--vmsa-cpu0', cpu0, '--vmsa-cpu1', VMSA1,
                                       '--vcpus', '2', '--sev-es', '--vmsa-out', out, '--force'),
                          2, 'input')
        self.assertEqual(os.stat(cpu0).st_mode & 0o777, 0o600)
        self.assertEqual(os.listdir(out), ['vmsa0.bin'])

    def test_force_needs_vmsa_out(self):
        self.assert_error(self.measure('--firmware', SEVCTL_FW, '--force'), 2, '--force', '--vmsa-out')

    def test_json(self):
        p = self.measure('--firmware', SEVCTL_FW, *M5_FMS, '--vcpus', '4', '--tik', self.keys.tik,
                         *M5_PARAMS, '--launch-measure-blob', M5_BLOB, '--json')
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout.count('\n'), 1)
        obj = json.loads(p.stdout)
        self.assertEqual(obj['launch_digest'], M5_LD)
        self.assertEqual(obj['launch_measure_blob'], M5_BLOB)
        self.assertEqual(obj['measurement'], base64.b64decode(M5_BLOB)[:32].hex())
        self.assertEqual(obj['mnonce'], base64.b64decode(M5_BLOB)[32:].hex())
        self.assertEqual(obj['guest']['vcpus'], 4)
        self.assertEqual(obj['vmsa']['cpu']['signature'], 0xa00f11)
        self.assertEqual(obj['artifacts']['firmware']['path'], SEVCTL_FW)

    def test_memory_1gib_initrd(self):
        import harness
        if harness.rss_skip_reason():
            self.skipTest(harness.rss_skip_reason())
        if not os.access(GNU_TIME, os.X_OK):
            self.skipTest('%s is missing (apt package time)' % GNU_TIME)
        initrd = self.path('initrd-1g')
        with open(initrd, 'wb') as f:
            f.truncate(1 << 30)
        rss = self.path('rss')
        p = self.run_cli('measure', '--firmware', SEVCTL_FW, '--kernel', KERNEL,
                         '--initrd', initrd, wrapper=[GNU_TIME, '-o', rss, '-f', '%M'])
        r = self.assert_ok(p)
        zeros = bytes(1 << 20)
        h = hashlib.sha256()
        for _ in range(1024):
            h.update(zeros)
        self.assertEqual(r['artifacts']['initrd']['sha256'], h.hexdigest())
        with open(rss) as f:
            max_rss_kib = int(f.read().strip().splitlines()[-1])
        # streamed: the file is never held in memory
        self.assertLess(max_rss_kib, 10240)


@unittest.skipUnless(os.path.isfile(DEBIAN_OVMF), DEBIAN_OVMF + ' is absent (apt package ovmf)')
class DebianOvmfTest(CliTestCase):

    def es_digest(self, vcpus, cpu='EPYC-Milan'):
        r = self.measure_ok('--firmware', DEBIAN_OVMF, '--sev-es', '--vcpus', str(vcpus),
                            '--cpu', cpu)
        return r['launch_digest']

    def test_sev_digest_is_firmware_hash(self):
        r = self.measure_ok('--firmware', DEBIAN_OVMF)
        self.assertEqual(r['launch_digest'], sha256_hex(read(DEBIAN_OVMF)))

    def test_sev_es_digests(self):
        digests = [self.es_digest(n) for n in (1, 2, 4)]
        for d in digests:
            self.assertRegex(d, HEX64)
        self.assertEqual(len(set(digests)), 3)
        self.assertEqual(digests, [self.es_digest(n) for n in (1, 2, 4)])
        # independently: EPYC-Milan is family 25 model 1 stepping 1, the sevctl pages' CPU,
        # and the AP starts at the reset address this test reads from the footer itself
        image = read(DEBIAN_OVMF)
        reset_addr = struct.unpack('<I', ovmf_footer_entries(image)[OVMF_SEV_ES_RESET_GUID])[0]
        bsp = with_rdx(read(VMSA0), cpu_signature(25, 1, 1))
        ap = with_ap_reset(with_rdx(read(VMSA1), cpu_signature(25, 1, 1)), reset_addr)
        for n, d in zip((1, 2, 4), digests):
            self.assertEqual(d, sha256_hex(image, bsp, ap * (n - 1)))

    def vmsa_out(self, cpu):
        out = self.path('vmsa-' + cpu)
        self.measure_ok('--firmware', DEBIAN_OVMF, '--sev-es', '--vcpus', '2', '--cpu', cpu,
                        '--vmsa-out', out)
        return read(os.path.join(out, 'vmsa0.bin')), read(os.path.join(out, 'vmsa1.bin'))

    def assert_differ_only_in_rdx(self, page, reference, signature):
        diff = [i for i in range(4096) if page[i] != reference[i]]
        self.assertTrue(all(VMSA_RDX <= i < VMSA_RDX + 8 for i in diff), diff)
        self.assertEqual(struct.unpack_from('<Q', page, VMSA_RDX)[0], signature)

    def test_vmsa_out_differs_from_sevctl_only_in_rdx(self):
        image = read(DEBIAN_OVMF)
        reset_addr = struct.unpack('<I', ovmf_footer_entries(image)[OVMF_SEV_ES_RESET_GUID])[0]
        ref_bsp = read(VMSA0)
        ref_ap = with_ap_reset(read(VMSA1), reset_addr)
        # same CPU signature as the sevctl pages (0xa00f11): no difference at all
        bsp, ap = self.vmsa_out('EPYC-Milan')
        self.assert_differ_only_in_rdx(bsp, ref_bsp, 0xa00f11)
        self.assert_differ_only_in_rdx(ap, ref_ap, 0xa00f11)
        self.assertEqual(cpu_signature(25, 1, 1), 0xa00f11)
        # family 23 model 1 stepping 2 (VECTORS.md: EPYC-v4 is 0x800f12): only rdx changes
        bsp, ap = self.vmsa_out('EPYC-v4')
        self.assertNotEqual(bsp, ref_bsp)
        self.assert_differ_only_in_rdx(bsp, ref_bsp, cpu_signature(23, 1, 2))
        self.assert_differ_only_in_rdx(ap, ref_ap, 0x800f12)


class VerifyTest(CliTestCase):

    def verify(self, *args):
        return self.run_cli('verify', *args)

    def test_m3_verified(self):
        r = self.assert_ok(self.verify('--firmware', SEVCTL_FW, '--tik', self.keys.tik,
                                       *M_PARAMS, '--measurement', M3_BLOB))
        self.assertEqual(r['verdict'], 'verified')
        self.assertEqual(r['measurement'], base64.b64decode(M3_BLOB)[:32].hex())

    def test_m3_verified_with_tek_unused(self):
        r = self.assert_ok(self.verify('--firmware', SEVCTL_FW, '--tik', self.keys.tik,
                                       '--tek', self.keys.stek, *M_PARAMS, '--measurement', M3_BLOB))
        self.assertEqual(r['verdict'], 'verified')

    def test_m4_verified(self):
        r = self.assert_ok(self.verify('--firmware', SEVCTL_FW, '--kernel', KERNEL,
                                       '--initrd', INITRD, '--cmdline', M4_CMDLINE,
                                       '--tik', self.keys.tik, *M_PARAMS,
                                       '--measurement', M4_BLOB))
        self.assertEqual(r['verdict'], 'verified')
        self.assertEqual(r['launch_digest'], M4_LD)

    def test_m5_verified_built_vmsas(self):
        r = self.assert_ok(self.verify('--firmware', SEVCTL_FW, *M5_FMS, '--vcpus', '4',
                                       '--tik', self.keys.tik, *M5_PARAMS,
                                       '--measurement', M5_BLOB))
        self.assertEqual(r['verdict'], 'verified')
        self.assertEqual(r['launch_digest'], M5_LD)

    def test_m5_verified_sev_es_flag(self):
        r = self.assert_ok(self.verify('--firmware', SEVCTL_FW, '--sev-es', '--cpu', 'EPYC-Milan',
                                       '--vcpus', '4', '--tik', self.keys.tik, *M5_PARAMS,
                                       '--measurement', M5_BLOB))
        self.assertEqual(r['verdict'], 'verified')

    def assert_mismatch(self, blob, *args):
        p = self.verify('--tik', self.keys.tik, '--measurement', blob, *args)
        self.assert_error(p, 1, 'mismatch', stdout_empty=False)
        self.last_output = p.stdout + p.stderr
        r = p.json
        self.assertEqual(r['verdict'], 'mismatch')
        self.assertIs(r['resumed'], False)
        # the expected MAC is withheld: a host reading it could replay it as "verified"
        self.assertNotIn('expected_measurement', r)
        self.assertRegex(r['launch_digest'], HEX64)
        # "measurement" is what the firmware reported
        self.assertEqual(r['measurement'], base64.b64decode(blob)[:32].hex())
        self.assertEqual(r['error']['class'], 'mismatch')
        return r

    def test_flipped_measurement_byte(self):
        raw = bytearray(base64.b64decode(M3_BLOB))
        raw[5] ^= 0x01
        r = self.assert_mismatch(base64.b64encode(raw).decode(), '--firmware', SEVCTL_FW,
                                 *M_PARAMS)
        # the measurement that would have matched is the published one: never shown
        m3 = base64.b64decode(M3_BLOB)[:32].hex()
        self.assertNotIn(m3, self.last_output)
        self.assertEqual(r['launch_digest'], sha256_hex(read(SEVCTL_FW)))
        self.assertEqual(r['artifacts']['firmware']['sha256'], sha256_hex(read(SEVCTL_FW)))

    def test_flipped_nonce_byte(self):
        raw = bytearray(base64.b64decode(M4_BLOB))
        raw[40] ^= 0x80
        self.assert_mismatch(base64.b64encode(raw).decode(), '--firmware', SEVCTL_FW,
                             '--kernel', KERNEL, '--initrd', INITRD, '--cmdline', M4_CMDLINE,
                             *M_PARAMS)

    def test_wrong_artifact_is_mismatch(self):
        # M4's blob, but the cmdline differs by one character
        self.assert_mismatch(M4_BLOB, '--firmware', SEVCTL_FW, '--kernel', KERNEL,
                             '--initrd', INITRD, '--cmdline', M4_CMDLINE + ' ', *M_PARAMS)

    def test_m5_too_few_vcpus_is_mismatch(self):
        self.assert_mismatch(M5_BLOB, '--firmware', SEVCTL_FW, *M5_FMS, '--vcpus', '3',
                             *M5_PARAMS)

    def test_json_mismatch(self):
        raw = bytearray(base64.b64decode(M3_BLOB))
        raw[0] ^= 0xff
        p = self.verify('--firmware', SEVCTL_FW, '--tik', self.keys.tik, *M_PARAMS,
                        '--measurement', base64.b64encode(raw).decode(), '--json')
        self.assert_error(p, 1, 'mismatch', stdout_empty=False)
        obj = json.loads(p.stdout)
        self.assertEqual(obj['verdict'], 'mismatch')
        self.assertEqual(obj['measurement'], bytes(raw[:32]).hex())
        self.assertEqual(obj['exit_code'], 1)
        self.assertEqual(obj['guest'], {'api_major': 1, 'api_minor': 40, 'build_id': 40,
                                        'policy': 3, 'sev_mode': 'SEV', 'vcpus': None})


class RulesTest(CliTestCase):
    """Inputs QEMU would refuse, or that cannot mean what the user thinks: exit 2."""

    def measure_error(self, *args_and_needles):
        args, needles = args_and_needles
        return self.assert_error(self.measure(*args), 2, *needles)

    def key_file(self, name, size, mode=0o600):
        return write_file(self.path(name), bytes(range(size)), mode)

    def test_initrd_without_kernel(self):
        self.measure_error(['--firmware', SEVCTL_FW, '--initrd', INITRD],
                           ['--initrd', '--kernel'])

    def test_cmdline_without_kernel(self):
        self.measure_error(['--firmware', SEVCTL_FW, '--cmdline', 'quiet'],
                           ['--cmdline', '--kernel'])

    def test_kernel_without_hashes_area(self):
        # the model names the input, not the option: the kernel, the firmware and why
        self.measure_error(['--firmware', X64_FW, '--kernel', KERNEL],
                           ['a kernel cannot be measured with firmware ' + X64_FW,
                            'kernel hashes area is unusable'])

    def test_sev_es_without_vcpus(self):
        self.measure_error(['--firmware', SEVCTL_FW, '--sev-es', '--cpu', 'EPYC-Milan'],
                           ['--vcpus'])

    def test_sev_es_policy_without_vcpus(self):
        self.measure_error(['--firmware', SEVCTL_FW, '--policy', '0x5', *M5_FMS], ['--vcpus'])

    def test_sev_es_without_cpu(self):
        self.measure_error(['--firmware', SEVCTL_FW, '--sev-es', '--vcpus', '2'],
                           ['--cpu', '--vmsa-cpu0'])

    def test_sev_es_firmware_without_reset_block(self):
        zeros = write_file(self.path('zeros.fd'), bytes(4096))
        self.measure_error(['--firmware', zeros, '--sev-es', '--vcpus', '1', '--cpu', 'EPYC-Milan'],
                           [zeros, 'reset block'])
        # the same file is a fine SEV firmware
        r = self.measure_ok('--firmware', zeros)
        self.assertEqual(r['launch_digest'], sha256_hex(bytes(4096)))

    def test_two_cpu_sources(self):
        base = ['--firmware', SEVCTL_FW, '--sev-es', '--vcpus', '2']
        self.measure_error(base + ['--cpu', 'EPYC-Milan', '--cpu-signature', '0xa00f11'],
                           ['--cpu', '--cpu-signature'])
        self.measure_error(base + ['--cpu', 'EPYC-Milan', '--vmsa-cpu0', VMSA0,
                                   '--vmsa-cpu1', VMSA1], ['--cpu', '--vmsa-cpu0'])
        self.measure_error(base + M5_FMS + ['--cpu', 'EPYC-Milan'], ['--cpu-family'])

    def test_cpu_family_without_model(self):
        self.measure_error(['--firmware', SEVCTL_FW, '--sev-es', '--vcpus', '2',
                            '--cpu-family', '25', '--cpu-stepping', '1'], ['--cpu-model'])

    def test_unknown_cpu(self):
        self.measure_error(['--firmware', SEVCTL_FW, '--sev-es', '--vcpus', '2',
                            '--cpu', 'EPYC-Nonesuch'], ['EPYC-Nonesuch'])

    def test_short_vmsa_file(self):
        short = write_file(self.path('short.vmsa'), read(VMSA0)[:4095])
        args = ['--firmware', SEVCTL_FW, '--sev-es', '--vcpus', '2']
        self.measure_error(args + ['--vmsa-cpu0', short, '--vmsa-cpu1', VMSA1],
                           [short, '4095'])
        self.measure_error(args + ['--vmsa-cpu0', VMSA0, '--vmsa-cpu1', short],
                           [short, '4095'])

    def test_vmsa_cpu0_without_cpu1(self):
        # two or more vCPUs measure the AP VMSA: it cannot be left out
        for n in ('2', '4'):
            self.measure_error(['--firmware', SEVCTL_FW, '--sev-es', '--vcpus', n,
                                '--vmsa-cpu0', VMSA0], ['%s vCPUs' % n, '--vmsa-cpu1'])

    def test_vmsa_cpu1_without_cpu0(self):
        for n in ('1', '2'):
            self.measure_error(['--firmware', SEVCTL_FW, '--sev-es', '--vcpus', n,
                                '--vmsa-cpu1', VMSA1], ['--vmsa-cpu0'])

    def test_one_vcpu_vmsa_cpu0_alone(self):
        # one vCPU: only the BSP VMSA is measured (VECTORS.md section 2 with one VMSA)
        self.assertEqual(sha256_hex(read(SEVCTL_FW), read(VMSA0), read(VMSA1) * 3), M5_LD)
        r = self.measure_ok('--firmware', SEVCTL_FW, '--sev-es', '--vcpus', '1', '--vmsa-cpu0', VMSA0)
        self.assertEqual(r['launch_digest'], sha256_hex(read(SEVCTL_FW), read(VMSA0)))
        p = self.run_cli('verify', '--firmware', SEVCTL_FW, '--vcpus', '1', '--vmsa-cpu0', VMSA0,
                         '--tik', self.keys.tik, *M5_PARAMS, '--measurement', M5_BLOB)
        # M5's blob is for 4 vCPUs: a mismatch, not a refusal of the options
        self.assertEqual(p.returncode, 1, p.stderr)

    def measure_with_key(self, *key_args):
        return self.measure('--firmware', SEVCTL_FW, *key_args, *M_PARAMS, '--nonce', M_NONCE)

    def test_key_file_sizes(self):
        for option, size in (('--tik', 15), ('--tik', 17), ('--tk', 33), ('--tk', 31)):
            key = self.key_file('key-%d' % size, size)
            self.assert_error(self.measure_with_key(option, key), 2, key, str(size))

    def test_tek_file_size(self):
        tek = self.key_file('tek-15', 15)
        p = self.run_cli('verify', '--firmware', SEVCTL_FW, '--tik', self.keys.stik, '--tek', tek,
                         *M_PARAMS, '--measurement', M3_BLOB,
                         '--secret', S1_GUID + ':' + self.keys.secrets[0],
                         '--header-out', self.path('h'), '--payload-out', self.path('p'))
        self.assert_error(p, 2, tek, '15')

    def test_tk_with_tik(self):
        self.assert_error(self.measure_with_key('--tk', self.keys.stk, '--tik', self.keys.tik), 2,
                          '--tk', '--tik')

    def test_open_key_file(self):
        tik = write_file(self.path('open-tik.bin'), read(self.keys.tik), 0o644)
        line = self.assert_error(self.measure_with_key('--tik', tik), 2, tik)
        self.assertRegex(line, r'permission|readable by group or others')
        self.assertIn('(or pass --allow-open-permissions)', line)
        r = self.assert_ok(self.measure_with_key('--tik', tik, '--allow-open-permissions'))
        self.assertEqual(r['launch_measure_blob'], M3_BLOB)

    def test_key_file_missing(self):
        missing = self.path('no-such-tik')
        self.assert_error(self.measure_with_key('--tik', missing), 2, missing)

    def test_vcpus_without_sev_es(self):
        self.measure_error(['--firmware', SEVCTL_FW, '--vcpus', '4'], ['--vcpus'])
        self.measure_error(['--firmware', SEVCTL_FW, '--cpu', 'EPYC-Milan'], ['SEV-ES'])
        p = self.run_cli('verify', '--firmware', SEVCTL_FW, '--vcpus', '4', '--tik', self.keys.tik,
                         *M_PARAMS, '--measurement', M3_BLOB)
        self.assert_error(p, 2, '--vcpus')

    def test_sev_es_flag_against_policy(self):
        p = self.run_cli('verify', '--firmware', SEVCTL_FW, '--sev-es', *M5_FMS, '--vcpus', '4',
                         '--tik', self.keys.tik, *M_PARAMS, '--measurement', M3_BLOB)
        self.assert_error(p, 2, '--sev-es', '--policy')

    # an SEV-ES measurement bound to a policy without bit 0x4 is a launch QEMU cannot produce:
    # measure refuses it as verify does (test above)
    def test_sev_es_flag_against_policy_measure(self):
        self.measure_error(['--firmware', SEVCTL_FW, '--sev-es', *M5_FMS, '--vcpus', '4',
                            '--tik', self.keys.tik, '--api-major', '1', '--api-minor', '49',
                            '--build-id', '6', '--policy', '0x1',
                            '--launch-measure-blob', M5_BLOB], ['--sev-es', '--policy'])

    def test_bad_numbers(self):
        base = ['--firmware', SEVCTL_FW, '--tik', self.keys.tik, '--nonce', M_NONCE]
        params = dict(zip(M_PARAMS[::2], M_PARAMS[1::2]))
        for option, value in (('--policy', '0x1g'), ('--policy', '4294967296'),
                              ('--policy', '-1'), ('--api-major', '256'),
                              ('--api-minor', 'x'), ('--build-id', '')):
            args = dict(params, **{option: value})
            flat = [a for kv in args.items() for a in kv]
            self.measure_error(base + flat, [option])
        self.measure_error(['--firmware', SEVCTL_FW, '--policy', '0x1g'], ['--policy'])
        self.measure_error(['--firmware', SEVCTL_FW, '--sev-es', '--cpu', 'EPYC-Milan',
                            '--vcpus', '0'], ['--vcpus'])
        self.measure_error(['--firmware', SEVCTL_FW, '--sev-es', '--cpu', 'EPYC-Milan',
                            '--vcpus', '4x'], ['--vcpus'])
        self.measure_error(['--firmware', SEVCTL_FW, '--sev-es', '--vcpus', '1',
                            '--cpu-signature', '0x1ffffffff'], ['--cpu-signature'])

    def test_params_go_together(self):
        self.measure_error(['--firmware', SEVCTL_FW, '--tik', self.keys.tik, '--api-major', '1',
                            '--policy', '3', '--nonce', M_NONCE], ['--api-minor'])

    def test_bad_nonce(self):
        base = ['--firmware', SEVCTL_FW, '--tik', self.keys.tik, *M_PARAMS]
        for nonce in ('wxP6tRHCFrFQWxsuqZA8Q', 'wxP6tRHCFrFQWxsuqZA8QA=*', '',
                      base64.b64encode(bytes(15)).decode(), base64.b64encode(bytes(17)).decode(),
                      M3_BLOB):
            self.measure_error(base + ['--nonce', nonce], ['--nonce'])
        self.measure_error(base + ['--launch-measure-blob', M3_BLOB[:-4]],
                           ['--launch-measure-blob'])
        self.measure_error(base + ['--nonce', M_NONCE, '--launch-measure-blob', M3_BLOB],
                           ['--nonce', '--launch-measure-blob'])

    def test_bad_measurement(self):
        base = ['verify', '--firmware', SEVCTL_FW, '--tik', self.keys.tik, *M_PARAMS]
        for blob in (M3_BLOB[:-1], M3_BLOB[:-4] + '!!!!', '',
                     base64.b64encode(bytes(47)).decode(), base64.b64encode(bytes(49)).decode(),
                     base64.b64encode(bytes(32)).decode()):
            self.assert_error(self.run_cli(*base, '--measurement', blob), 2, '--measurement')

    def test_verify_needs_params(self):
        p = self.run_cli('verify', '--firmware', SEVCTL_FW, '--tik', self.keys.tik,
                         '--measurement', M3_BLOB)
        self.assert_error(p, 2, '--policy')

    def test_verify_offline_refuses_live_options(self):
        base = ['verify', '--firmware', SEVCTL_FW, '--tik', self.keys.tik, *M_PARAMS,
                '--measurement', M3_BLOB]
        for extra in (['--wait', '5'], ['--no-resume'], ['--secret-gpa', '0x1000']):
            self.assert_error(self.run_cli(*base, *extra), 2, extra[0])

    def test_unknown_subcommand(self):
        self.assert_error(self.run_cli('frobnicate'), 2, "'frobnicate'")
        self.assert_error(self.run_cli('--frobnicate'), 2, "'--frobnicate'")

    def test_unknown_option(self):
        self.measure_error(['--firmware', SEVCTL_FW, '--frobnicate'], ['--frobnicate'])

    def test_unexpected_argument(self):
        self.measure_error(['--firmware', SEVCTL_FW, 'extra'], ["'extra'"])
        p = self.run_cli('verify', '--firmware', SEVCTL_FW, '--tik', self.keys.tik, *M_PARAMS,
                         '--measurement', M3_BLOB, 'extra')
        self.assert_error(p, 2, "'extra'")
        self.assert_error(self.run_cli('ovmf', SEVCTL_FW, 'extra'), 2, 'FIRMWARE')

    def test_missing_firmware(self):
        # what is missing (the model's words) and the option that gives it (the CLI's hint)
        self.measure_error([], ['no firmware image', '--firmware'])
        self.measure_error(['--kernel', KERNEL], ['no firmware image', '--firmware'])
        p = self.run_cli('verify', '--tik', self.keys.tik, *M_PARAMS, '--measurement', M3_BLOB)
        self.assert_error(p, 2, '--firmware')
        self.assert_error(self.run_cli('ovmf'), 2, 'FIRMWARE')

    def test_unreadable_firmware(self):
        missing = self.path('no-such.fd')
        self.measure_error(['--firmware', missing], [missing])
        self.measure_error(['--firmware', self.tmp], [self.tmp])

    def test_measurement_inputs_need_a_key(self):
        self.measure_error(['--firmware', SEVCTL_FW, *M_PARAMS, '--nonce', M_NONCE], ['--tik'])
        self.measure_error(['--firmware', SEVCTL_FW, '--tik', self.keys.tik, *M_PARAMS],
                           ['--nonce'])

    def test_vmsa_out_needs_sev_es(self):
        self.measure_error(['--firmware', SEVCTL_FW, '--vmsa-out', self.path('v')],
                           ['--vmsa-out'])
        self.assertFalse(os.path.exists(self.path('v')))


class OvmfTest(CliTestCase):

    def ovmf(self, *args):
        return self.run_cli('ovmf', *args)

    def test_sevctl_firmware(self):
        r = self.assert_ok(self.ovmf(SEVCTL_FW))
        entries = ovmf_footer_entries(read(SEVCTL_FW))
        reset = struct.unpack('<I', entries[OVMF_SEV_ES_RESET_GUID])[0]
        secret_base, secret_size = struct.unpack('<II', entries[OVMF_SECRET_GUID])
        hashes_base, hashes_size = struct.unpack('<II', entries[OVMF_HASHES_GUID])
        self.assertEqual(r['size'], os.path.getsize(SEVCTL_FW))
        self.assertIs(r['footer_table'], True)
        self.assertEqual(r['sev_es'], {'possible': True, 'reset_address': reset})
        self.assertEqual(r['secret_area'], {'base': secret_base, 'size': secret_size})
        self.assertEqual(r['secret_injection'], {'possible': True})
        self.assertEqual(r['hashes_area'], {'base': hashes_base, 'size': hashes_size})
        self.assertEqual(r['kernel_hashes'], {'possible': True})
        self.assertEqual(len(r['footer_entries']), len(entries))
        for e in r['footer_entries']:
            guid = uuid.UUID(e['guid']).bytes_le
            self.assertEqual(e['size'], len(entries[guid]))

    def test_sevctl_firmware_text(self):
        p = self.run_cli('ovmf', SEVCTL_FW, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn('footer table: yes\n', p.stdout)
        self.assertIn('secret area:\n  base: 0x80c000\n  size: 0xc00\n', p.stdout)

    @unittest.skipUnless(os.path.isfile(DEBIAN_OVMF), DEBIAN_OVMF + ' is absent')
    def test_debian_ovmf(self):
        r = self.assert_ok(self.ovmf(DEBIAN_OVMF))
        self.assertEqual(r['size'], os.path.getsize(DEBIAN_OVMF))
        self.assertIs(r['sev_es']['possible'], True)
        self.assertIs(r['secret_injection']['possible'], False)
        self.assertTrue(r['secret_injection']['reason'].startswith('needs --secret-gpa'), r)
        self.assertIs(r['kernel_hashes']['possible'], False)

    def test_no_footer(self):
        zeros = write_file(self.path('zeros.fd'), bytes(4096))
        r = self.assert_ok(self.ovmf(zeros))
        self.assertIs(r['footer_table'], False)
        self.assertIs(r['sev_es']['possible'], False)
        self.assertIsNone(r['sev_es']['reset_address'])
        self.assertIsNone(r['secret_area'])
        self.assertEqual(r['footer_entries'], [])

    def footer_image(self, table_len, entries=b''):
        """4096 bytes ending in entries || u16 table_len || footer GUID || 32 bytes of code."""
        tail = entries + struct.pack('<H', table_len) + OVMF_FOOTER_GUID + b'\xcc' * 32
        return bytes(4096 - len(tail)) + tail

    def test_malformed_footer(self):
        bad_entry = b'\0' * 4 + struct.pack('<H', 0x4000) + OVMF_SEV_ES_RESET_GUID
        short_reset = b'\0' * 2 + struct.pack('<H', 20) + OVMF_SEV_ES_RESET_GUID
        images = {
            'past-start': self.footer_image(0xffff),
            'too-short': self.footer_image(4),
            'entry-overruns': self.footer_image(18 + len(bad_entry), bad_entry),
            'reset-block-2-bytes': self.footer_image(18 + len(short_reset), short_reset),
        }
        for name, image in images.items():
            path = write_file(self.path(name), image)
            self.assert_error(self.ovmf(path), 2, path)
            # the same rules hold wherever a firmware is read
            self.assert_error(self.measure('--firmware', path), 2, path)

    # sl_ovmf_new_from_file() names the file; callers must not name it again
    def test_firmware_error_names_file_once(self):
        path = write_file(self.path('bad.fd'), self.footer_image(4))
        for p in (self.ovmf(path), self.measure('--firmware', path)):
            line = self.assert_error(p, 2, path)
            self.assertEqual(line.count(path), 1, line)

    def test_tiny_firmware(self):
        tiny = write_file(self.path('tiny.fd'), b'\0' * 47)
        self.assert_error(self.ovmf(tiny), 2, tiny)


class VerifyPacketTest(CliTestCase):
    """Offline verify builds the LAUNCH_SECRET packet only after a match (issue 7, items 2, 10, 11).

    The measurement is computed here with hmac, and the packet is opened with qmp-peer.py's own
    code (MAC over the measurement, AES-CTR with the TEK, the EFI secret table)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.peer = harness.load_peer_module()
        cls.tik_bytes, cls.tek_bytes = read(cls.keys.stik), read(cls.keys.stek)
        nonce = base64.b64decode(M_NONCE)
        digest = hashlib.sha256(read(SEVCTL_FW)).digest()
        cls.measurement = cls.peer.launch_measurement(cls.tik_bytes, 1, 40, 40, 3, digest, nonce)
        cls.blob = base64.b64encode(cls.measurement + nonce).decode()

    def spec(self, guid, index):
        return guid + ':' + self.keys.secrets[index]

    def verify(self, *args, keys=None, blob=None, text=False):
        keys = keys if keys is not None else ['--tik', self.keys.stik, '--tek', self.keys.stek]
        return self.run_cli('verify', '--firmware', SEVCTL_FW, *keys, *M_PARAMS,
                            '--measurement', blob or self.blob, *args, text=text)

    def packet(self, *args, header=None, payload=None, **kwargs):
        header = header or self.path('header')
        payload = payload or self.path('payload')
        return self.verify(*args, '--header-out', header, '--payload-out', payload, **kwargs)

    def open_packet(self, header_b64, payload_b64):
        header = base64.b64decode(header_b64, validate=True)
        payload = base64.b64decode(payload_b64, validate=True)
        plain = self.peer.open_secret_packet(self.tik_bytes, self.tek_bytes, header, payload,
                                             self.measurement)
        self.assertIsNotNone(plain, 'the packet MAC does not cover the verified measurement')
        return self.peer.parse_secret_table(plain)

    def assert_packet_files(self, expect, header=None, payload=None):
        header = header or self.path('header')
        payload = payload or self.path('payload')
        for path in (header, payload):
            self.assertEqual(os.stat(path).st_mode & 0o777, 0o600, path)
        self.assertEqual(self.open_packet(read(header), read(payload)), expect)

    def assert_nothing_written(self, *extra):
        self.assertEqual(sorted(os.listdir(self.tmp)), sorted(extra))

    def test_packet_on_match(self):
        r = self.assert_ok(self.packet('--secret', self.spec(S1_GUID, 0)))
        self.assertEqual(r['verdict'], 'verified')
        self.assertEqual(r['packet'], {'secrets': [S1_GUID], 'payload_size': 64,
                                       'header_file': self.path('header'),
                                       'payload_file': self.path('payload')})
        self.assert_packet_files({S1_GUID: read(self.keys.secrets[0])})
        # the text report says the same
        self.assert_ok(self.packet('--secret', self.spec(S1_GUID, 0), '--force', text=True))
        self.assert_packet_files({S1_GUID: read(self.keys.secrets[0])})

    def test_two_secrets_alias_and_tk(self):
        self.assert_ok(self.packet('--secret', 'luks-key:' + self.keys.secrets[0],
                                   '--secret', self.spec(S2_GUID, 1), keys=['--tk', self.keys.stk]))
        self.assert_packet_files({S1_GUID: read(self.keys.secrets[0]),
                                  S2_GUID: read(self.keys.secrets[1])})

    def test_payload_sizes(self):
        for index in (2, 3):
            out = self.path('p%d' % index)
            self.assert_ok(self.packet('--secret', self.spec(S3_GUID, index), '--force', payload=out))
            self.assertEqual(len(base64.b64decode(read(out), validate=True)), 16384)

    def test_fresh_iv_each_run(self):
        headers = []
        for i in range(2):
            h = self.path('h%d' % i)
            self.assert_ok(self.packet('--secret', self.spec(S1_GUID, 0), header=h,
                                       payload=self.path('p%d' % i)))
            headers.append(read(h))
        self.assertNotEqual(headers[0], headers[1])
        self.assertNotEqual(read(self.path('p0')), read(self.path('p1')))

    def test_mismatch_writes_nothing(self):
        # another measurement, another nonce, another policy: exit 1 and no file at all
        flipped = bytearray(base64.b64decode(self.blob))
        flipped[0] ^= 1
        for blob in (base64.b64encode(bytes(flipped)).decode(), M3_BLOB):
            p = self.packet('--secret', self.spec(S1_GUID, 0), blob=blob)
            self.assert_error(p, 1, 'mismatch')
            self.assertEqual(p.json['verdict'], 'mismatch')
            self.assertNotIn('packet', p.json)
            self.assert_nothing_written()
        # nor does it touch a file --force would have replaced
        old = write_file(self.path('header'), b'old', 0o644)
        self.assert_error(self.packet('--secret', self.spec(S1_GUID, 0), '--force', blob=M3_BLOB), 1,
                          stdout_empty=False)
        self.assertEqual(read(old), b'old')
        self.assertEqual(os.stat(old).st_mode & 0o777, 0o644)
        self.assert_nothing_written('header')

    def test_existing_file(self):
        old = write_file(self.path('payload'), b'old', 0o640)
        self.assert_error(self.packet('--secret', self.spec(S1_GUID, 0)), 2, '--payload-out', 'exists',
                          '--force')
        self.assertEqual(read(old), b'old')
        self.assertEqual(os.stat(old).st_mode & 0o777, 0o640)
        self.assert_nothing_written('payload')
        self.assert_ok(self.packet('--secret', self.spec(S1_GUID, 0), '--force'))
        self.assert_packet_files({S1_GUID: read(self.keys.secrets[0])})

    def test_own_tik_file(self):
        """The command's own --tik file is an input: never replaced, with or without --force."""
        tik = write_file(self.path('tik'), self.tik_bytes, 0o600)
        for force in ([], ['--force']):
            p = self.packet('--secret', self.spec(S1_GUID, 0), *force, header=tik,
                            keys=['--tik', tik, '--tek', self.keys.stek])
            self.assert_error(p, 2, '--header-out', tik)
            self.assertEqual(read(tik), self.tik_bytes)
            self.assertEqual(os.stat(tik).st_mode & 0o777, 0o600)
            self.assert_nothing_written('tik')
        # a secret file is an input too, even through a hard link
        link = self.path('secret-link')
        os.link(self.keys.secrets[0], link)
        p = self.packet('--secret', self.spec(S1_GUID, 0), '--force', payload=link)
        self.assert_error(p, 2, '--payload-out', 'input')
        os.unlink(link)

    def test_devices_fifos_links(self):
        fifo = self.path('fifo')
        os.mkfifo(fifo)
        target = write_file(self.path('target'), b'target', 0o600)
        link = self.path('link')
        os.symlink(target, link)
        for path, why in (('/dev/stdout', 'symbolic link'), ('/dev/null', 'not a regular file'),
                          (fifo, 'not a regular file'), (link, 'symbolic link')):
            with self.subTest(path=path):
                p = self.packet('--secret', self.spec(S1_GUID, 0), '--force', header=path)
                self.assert_error(p, 2, '--header-out', why)
                self.assert_nothing_written('fifo', 'target', 'link')
        self.assertEqual(read(target), b'target')

    def test_stdout(self):
        p = self.packet('--secret', self.spec(S1_GUID, 0), header='-', text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stderr, '')
        # the header alone: the report stays off stdout
        self.assertEqual(self.open_packet(p.stdout, read(self.path('payload'))),
                         {S1_GUID: read(self.keys.secrets[0])})
        self.assert_nothing_written('payload')
        p = self.packet('--secret', self.spec(S1_GUID, 0), payload='-')
        self.assert_error(p, 2, '--json')
        self.assertEqual(p.json['exit_code'], 2)
        self.assert_nothing_written('payload')

    def test_same_output_twice(self):
        out = self.path('packet')
        other = os.path.join(self.tmp, '.', 'packet')
        for header, payload in ((out, out), (out, other), ('-', '-')):
            p = self.packet('--secret', self.spec(S1_GUID, 0), header=header, payload=payload,
                            text=True)
            self.assert_error(p, 2, '--header-out', '--payload-out')
            self.assert_nothing_written()

    def test_option_rules(self):
        secret = ['--secret', self.spec(S1_GUID, 0)]
        self.assert_error(self.verify(*secret), 2, '--header-out', '--payload-out')
        self.assert_error(self.verify('--header-out', self.path('h'), '--payload-out', self.path('p')),
                          2, '--secret')
        self.assert_error(self.verify(*secret, '--header-out', self.path('h')), 2, '--payload-out')
        self.assert_error(self.verify('--force'), 2, '--force')
        self.assert_error(self.packet(*secret, keys=['--tik', self.keys.stik]), 2, 'TEK')
        # no fixed-IV knob in the binary
        self.assert_error(self.packet(*secret, '--iv', S_IV), 2, '--iv')
        self.assert_nothing_written()

    def test_live_refuses_packet_files(self):
        for extra in (['--header-out', self.path('h'), '--payload-out', self.path('p')], ['--force']):
            p = self.run_cli('verify', '--qmp', 'unix:' + self.path('no-such.sock'), '--firmware',
                             SEVCTL_FW, '--tik', self.keys.stik, *extra)
            self.assert_error(p, 2, extra[0])
        self.assert_nothing_written()

    def test_secret_command_is_gone(self):
        p = self.run_cli('secret', '--tik', self.keys.stik, '--tek', self.keys.stek,
                         '--launch-measure-blob', self.blob, '--secret', self.spec(S1_GUID, 0))
        self.assert_error(p, 2, 'verify', '--header-out')

    def test_secret_table_errors(self):
        """Every bad --secret is refused before the verdict, and nothing is written."""
        empty = write_file(self.path('empty.txt'), b'')
        open_secret = write_file(self.path('open.txt'), read(self.keys.secrets[0]), 0o644)
        missing = self.path('no-such-secret')
        cases = [(['--secret', 'no-such-alias:' + self.keys.secrets[0]], ['no-such-alias']),
                 (['--secret', ':' + self.keys.secrets[0]], ['--secret']),
                 (['--secret', S1_GUID], [S1_GUID]),
                 (['--secret', self.spec(S1_GUID, 0), '--secret', self.spec(S1_GUID, 1)], [S1_GUID]),
                 (['--secret', self.spec(S1_GUID, 0), '--secret', 'luks-key:' + self.keys.secrets[1]],
                  [S1_GUID]),
                 (['--secret', S1_GUID + ':' + empty], [empty, 'empty']),
                 (['--secret', S1_GUID + ':' + missing], [missing]),
                 (['--secret', S1_GUID + ':' + self.tmp], [self.tmp]),
                 (['--secret', S1_GUID + ':' + open_secret],
                  [open_secret, '(or pass --allow-open-permissions)'])]
        for guid in ('736869e5-84f0-4973-92ec-06879ce3da0',
                     '736869e5-84f0-4973-92ec-06879ce3da0bb',
                     '736869e5_84f0_4973_92ec_06879ce3da0b',
                     '736869g5-84f0-4973-92ec-06879ce3da0b'):
            cases.append((['--secret', guid + ':' + self.keys.secrets[0]], [guid]))
        for args, needles in cases:
            with self.subTest(args=args):
                self.assert_error(self.packet(*args), 2, *needles)
                self.assert_nothing_written('empty.txt', 'open.txt')
        self.assert_ok(self.packet('--allow-open-permissions', '--secret', S1_GUID + ':' + open_secret))



class StdoutErrorTest(CliTestCase):
    """Where stdout is the product, a write that fails is an error (exit 2), never success."""

    def run_to_full(self, *args):
        with open('/dev/full', 'wb') as full:
            p = subprocess.run([SEVLAUNCH] + [str(a) for a in args], stdout=full, stderr=subprocess.PIPE,
                               text=True, timeout=RUN_TIMEOUT, env=self.env)
        p.stdout, p.json = '', None
        self.assert_no_leak(p)
        return p

    def test_measure(self):
        p = self.run_to_full('measure', '--firmware', SEVCTL_FW)
        self.assert_error(p, 2, 'cannot write', 'stdout', 'No space left on device')

    def test_measure_json(self):
        p = self.run_to_full('measure', '--json', '--firmware', SEVCTL_FW, '--tik', self.keys.tik,
                             *M_PARAMS, '--nonce', M_NONCE)
        self.assert_error(p, 2, 'cannot write', 'stdout')

    def test_ovmf(self):
        self.assert_error(self.run_to_full('ovmf', SEVCTL_FW), 2, 'cannot write', 'stdout')

    def test_verify_offline_json(self):
        p = self.run_to_full('verify', '--json', '--firmware', SEVCTL_FW, '--tik', self.keys.tik,
                             *M_PARAMS, '--measurement', M3_BLOB)
        self.assert_error(p, 2, 'cannot write', 'stdout')

    def test_mismatch_keeps_its_exit_code(self):
        p = self.run_to_full('verify', '--json', '--firmware', SEVCTL_FW, '--tik', self.keys.tik,
                             *M_PARAMS, '--measurement', M4_BLOB)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn('cannot write the report to stdout', p.stderr)
        self.assertIn('mismatch', p.stderr)

    def test_help(self):
        for args in (['--help'], ['--version'], ['measure', '--help']):
            self.assert_error(self.run_to_full(*args), 2, 'cannot write', 'stdout')


class HygieneTest(CliTestCase):
    """run_cli() checks every command of this file; here the check itself and --verbose."""

    def test_leak_check_catches_a_leak(self):
        tik = read(self.keys.stik)
        secret = read(self.keys.secrets[1]).decode()
        for text in (tik.hex(), base64.b64encode(tik).decode(), secret):
            leaked = subprocess.CompletedProcess([], 0, stdout='', stderr='x ' + text + '\n')
            with self.assertRaises(AssertionError):
                self.assert_no_leak(leaked)

    def test_verbose_runs(self):
        p = self.run_cli('verify', '--verbose', '--firmware', SEVCTL_FW, '--tk', self.keys.stk,
                         *M_PARAMS, '--measurement', M3_BLOB,
                         '--secret', S1_GUID + ':' + self.keys.secrets[0],
                         '--secret', S2_GUID + ':' + self.keys.secrets[1],
                         '--header-out', self.path('h'), '--payload-out', self.path('p'))
        self.assertEqual(p.returncode, 1, p.stderr)
        p = self.run_cli('measure', '--verbose', '--firmware', SEVCTL_FW, '--tik', self.keys.tik,
                         *M_PARAMS, '--nonce', M_NONCE)
        self.assertEqual(p.json['launch_measure_blob'], M3_BLOB)
        p = self.run_cli('verify', '--verbose', '--firmware', SEVCTL_FW, '--tik', self.keys.tik,
                         *M_PARAMS, '--measurement', M4_BLOB)
        self.assertEqual(p.returncode, 1, p.stderr)


class HelpTest(CliTestCase):

    COMMON = ['--json', '--verbose']
    ARTIFACTS = ['--firmware', '--kernel', '--initrd', '--cmdline', '--sev-es', '--vcpus',
                 '--cpu', '--cpu-family', '--cpu-model', '--cpu-stepping', '--cpu-signature',
                 '--vmsa-cpu0', '--vmsa-cpu1', '--vmsa-variant', '--sev-features']
    LAUNCH = ['--api-major', '--api-minor', '--build-id', '--policy']
    OPTIONS = {
        'measure': COMMON + ARTIFACTS + LAUNCH + ['--tik', '--tk', '--tek', '--allow-open-permissions',
                                                  '--nonce', '--launch-measure-blob', '--vmsa-out',
                                                  '--force'],
        'verify': COMMON + ARTIFACTS + LAUNCH + ['--tik', '--tk', '--tek',
                                                 '--allow-open-permissions', '--qmp', '--wait',
                                                 '--timeout', '--no-resume', '--on-mismatch',
                                                 '--expect-policy', '--secret', '--secret-gpa',
                                                 '--measurement', '--header-out', '--payload-out',
                                                 '--force'],
        'ovmf': COMMON,
        'session': COMMON + ['--pdh', '--policy', '--out-dir', '--no-verify-chain', '--chain',
                             '--generation', '--ark', '--ask'],
    }

    def help_text(self, *args):
        p = self.run_cli(*args)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stderr, '')
        return p.stdout

    def assert_lists(self, text, options):
        listed = set(re.findall(r'^\s+(?:-\w, )?(--[a-z0-9-]+)', text, re.M))
        self.assertEqual(sorted(set(options) - listed), [])

    def test_main_help_lists_exit_codes(self):
        text = ' '.join(self.help_text('--help').split())
        for command in self.OPTIONS:
            self.assertIn(command, text)
        for expected in ('0 verified', '1 measurement mismatch', '2 usage or input error',
                         '3 connection or QMP protocol error', '4 guest not verifiable',
                         '5 secret injection refused'):
            self.assertIn(expected, text)

    def test_no_arguments_prints_usage(self):
        p = self.run_cli()
        self.assertEqual(p.returncode, 2)
        self.assertIn('Usage: sevlaunch COMMAND', p.stderr)

    def test_help_all_lists_every_option(self):
        for command, options in self.OPTIONS.items():
            self.assert_lists(self.help_text(command, '--help-all'), options)

    def test_help_measure(self):
        self.assert_lists(self.help_text('measure', '--help'), self.OPTIONS['measure'])

    def test_help_verify(self):
        self.assert_lists(self.help_text('verify', '--help'), self.OPTIONS['verify'])

    def test_no_secret_command(self):
        text = self.help_text('--help')
        self.assertNotRegex(text, r'^\s+secret\s', 'the secret command is gone')
        self.assertNotIn('--iv', self.help_text('verify', '--help-all'))

    def test_help_ovmf(self):
        text = self.help_text('ovmf', '--help')
        self.assert_lists(text, self.OPTIONS['ovmf'])
        self.assertIn('FIRMWARE', text)


if __name__ == '__main__':
    unittest.main(verbosity=2)
