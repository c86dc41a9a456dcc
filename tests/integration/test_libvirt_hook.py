#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The libvirt QEMU hook (scripts/libvirt-hook-qemu.in).

- invoked exactly as libvirt invokes it (argv NAME OPERATION SUB-OPERATION -,
  the domain XML on stdin, LC_ALL=C HOME=/root and a plain PATH only, cwd /)
  against qmp-peer.py: match, inject, resume; mismatch; a guest that already ran;
- installed into a real libvirtd's hooks directory, with a real TCG QEMU whose
  second monitor the hook reaches: a plain `virsh start` is refused with the
  --paused message, `virsh start --paused` fails with QEMU's "SEV is off", a
  domain without a config starts normally.
"""

import os
import shutil
import subprocess
import tempfile
import time
import unittest

import harness
import libvirtd
from harness import LiveTestCase

EXIT_VERIFIED, EXIT_MISMATCH, EXIT_INPUT, EXIT_NOT_VERIFIABLE = 0, 1, 2, 4
HOOK = os.environ.get('LIBVIRT_HOOK_TEST')
CONFDIR = os.environ.get('LIBVIRT_HOOK_TEST_CONFDIR')
SECRET_DIR = os.path.join(harness.SEVCTL, 'secret')
# what libvirt 9.0 leaves in a hook's environment (plus the daemon's PATH)
HOOK_ENV = {'LC_ALL': 'C', 'HOME': '/root', 'PATH': '/usr/sbin:/usr/bin:/sbin:/bin'}
HOOK_RUN_S = harness.scaled(60)
OTHER_OPERATIONS = ['prepare', 'start', 'stopped', 'release', 'migrate', 'restore',
                    'reconnect', 'attach']

DOMAIN_XML = """<domain type='qemu' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>
  <name>NAME</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type></os>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <memballoon model='none'/>
  </devices>
  %s
</domain>
"""
SECOND_MONITOR = """<qemu:commandline>
    <qemu:arg value='-qmp'/>
    <qemu:arg value='unix:%s,server=on,wait=off'/>
  </qemu:commandline>"""


def need_hook(test):
    if not HOOK or not CONFDIR:
        test.skipTest('LIBVIRT_HOOK_TEST is not set (run through meson test)')


class HookFiles:
    """A domain's config in the hook's config directory, with its key files beside it."""

    def __init__(self, name):
        os.makedirs(CONFDIR, mode=0o755, exist_ok=True)
        self.dir = tempfile.mkdtemp(prefix='keys-', dir=CONFDIR)
        self.config = os.path.join(CONFDIR, name + '.conf')
        self.paths = [self.config]

    def copy(self, src, name):
        dst = os.path.join(self.dir, name)
        shutil.copyfile(src, dst)
        os.chmod(dst, 0o600)
        return dst

    def write_config(self, text, mode=0o600):
        with open(self.config, 'w', encoding='utf-8') as f:
            f.write(text)
        os.chmod(self.config, mode)

    def remove(self):
        for p in self.paths:
            if os.path.lexists(p):
                os.unlink(p)
        shutil.rmtree(self.dir, ignore_errors=True)


def run_hook(hook, name, operation, xml='<domain/>', sub='begin'):
    """The hook as libvirt runs it."""
    start = time.monotonic()
    res = subprocess.run([hook, name, operation, sub, '-'], input=xml.encode(),
                         capture_output=True, env=HOOK_ENV, cwd='/', timeout=HOOK_RUN_S)
    res.elapsed = time.monotonic() - start
    res.out = res.stdout.decode('utf-8', errors='replace')
    res.err = res.stderr.decode('utf-8', errors='replace')
    return res


class HookCase(LiveTestCase):

    def setUp(self):
        super().setUp()
        need_hook(self)
        # executable, as libvirt finds it in qemu.d
        self.hook = os.path.join(self.tmp, '50-sevlaunch')
        shutil.copyfile(HOOK, self.hook)
        os.chmod(self.hook, 0o755)
        self.name = 'sl-hook-%d-%s' % (os.getpid(), os.path.basename(self.tmp)[-8:])
        self.files = HookFiles(self.name)
        self.addCleanup(self.files.remove)
        self.tik = self.files.copy(os.path.join(SECRET_DIR, 'tik1.bin'), 'tik.bin')
        self.tek = self.files.copy(os.path.join(SECRET_DIR, 'tek1.bin'), 'tek.bin')
        self.secret = self.files.copy(os.path.join(SECRET_DIR, 'secret1.txt'), 'secret1')
        self.expected_secret = harness.read_bytes(self.secret)

    def peer(self, *extra):
        return self.start_peer('--tik', self.tik, '--tek', self.tek, '--firmware',
                               harness.SEVCTL_FW, '--api', '1.40', '--build', '40',
                               '--policy', '0x3', *extra)

    def configure(self, peer, extra='', timeout=20):
        keys = os.path.basename(self.files.dir)
        self.files.write_config(
            '[verify]\nqmp=%s\nfirmware=%s\ntik=%s/tik.bin\ntek=%s/tek.bin\n'
            'secret=%s:%s/secret1\ntimeout=%d\n%s'
            % (peer.address, harness.SEVCTL_FW, keys, keys, harness.S_GUID1, keys, timeout, extra))

    def hook_run(self, operation='started'):
        return run_hook(self.hook, self.name, operation,
                        xml=DOMAIN_XML.replace('NAME', self.name) % '')

    def assertFailedWithReason(self, res, code, *words):
        self.assertEqual(res.returncode, code, 'hook exit %d\nstdout:%s\nstderr:%s'
                         % (res.returncode, res.out, res.err))
        self.assertEqual(res.out, '')
        lines = [l for l in res.err.splitlines() if l.strip()]
        self.assertEqual(len(lines), 1, res.err)
        self.assertTrue(lines[0].startswith('sevlaunch: '), res.err)
        for w in words:
            self.assertIn(w, res.err)


class TestHookAsLibvirtRunsIt(HookCase):

    def test_match_injects_and_resumes(self):
        peer = self.peer()
        self.configure(peer)
        res = self.hook_run()
        self.assertEqual(res.returncode, 0, res.err)
        self.assertEqual(res.out, '')
        self.assertEqual(res.err, '')
        peer.finish()
        cmds = peer.commands()
        self.assertEqual(cmds.count('cont'), 1, cmds)
        inj = peer.injections()
        self.assertEqual(len(inj), 1, peer.log())
        self.assertEqual(inj[0]['injected'], {harness.S_GUID1: self.expected_secret.hex()})
        self.assertLess(cmds.index('sev-inject-launch-secret'), cmds.index('cont'))

    def test_resume_false_injects_and_leaves_paused(self):
        peer = self.peer()
        self.configure(peer, 'resume=false\n')
        res = self.hook_run()
        self.assertEqual(res.returncode, 0, res.err)
        peer.finish()
        self.assertNoResume(peer)
        self.assertEqual(len(peer.injections()), 1)

    def test_mismatch_injects_nothing(self):
        peer = self.peer('--tamper-firmware')
        self.configure(peer)
        res = self.hook_run()
        self.assertFailedWithReason(res, EXIT_MISMATCH, 'mismatch')
        peer.finish()
        self.assertNoSecretSent(peer)
        self.assertNoResume(peer)

    def test_guest_that_already_ran_refused(self):
        peer = self.peer('--run-status', 'running')
        self.configure(peer)
        res = self.hook_run()
        self.assertFailedWithReason(res, EXIT_NOT_VERIFIABLE, 'virsh start --paused')
        peer.finish()
        self.assertNoSecretSent(peer)
        self.assertNotIn('query-sev-launch-measure', peer.commands())

    def test_sev_off_refused(self):
        peer = self.start_peer('--sev-disabled')
        self.configure(peer)
        res = self.hook_run()
        self.assertFailedWithReason(res, EXIT_NOT_VERIFIABLE, 'SEV')
        peer.finish()
        self.assertNoSecretSent(peer)
        self.assertNoResume(peer)

    def test_other_operations_exit_at_once(self):
        peer = self.peer()
        self.configure(peer)
        for op in OTHER_OPERATIONS:
            with self.subTest(operation=op):
                res = self.hook_run(op)
                self.assertEqual((res.returncode, res.out, res.err), (0, '', ''))
        peer.stop()
        self.assertEqual(peer.commands(), [])

    def test_domain_without_config_exits_at_once(self):
        peer = self.peer()
        res = run_hook(self.hook, self.name + '-other', 'started')
        self.assertEqual((res.returncode, res.out, res.err), (0, '', ''))
        for name in ('', '../' + self.name, 'a/b'):
            res = run_hook(self.hook, name, 'started')
            self.assertEqual((res.returncode, res.out, res.err), (0, '', ''))
        peer.stop()
        self.assertEqual(peer.commands(), [])

    def test_config_for_sevlaunch_start_only_is_left_alone(self):
        peer = self.peer()
        self.files.write_config('[start]\nconnect=qemu:///system\nfirmware=%s\n' % harness.SEVCTL_FW)
        res = self.hook_run()
        self.assertEqual((res.returncode, res.out, res.err), (0, '', ''))
        peer.stop()
        self.assertEqual(peer.commands(), [])

    def test_config_with_neither_group_fails_closed(self):
        # a mistyped group must not let the guest run unverified
        peer = self.peer()
        for text in ('[verfy]\nqmp=%s\n' % peer.address, '[ verify ]\nqmp=%s\n' % peer.address,
                     '[Verify]\nqmp=%s\n' % peer.address, ''):
            with self.subTest(config=text):
                self.files.write_config(text)
                res = self.hook_run()
                self.assertFailedWithReason(res, EXIT_INPUT, self.files.config,
                                            'neither [verify]', 'nor [start]')
        peer.stop()
        self.assertEqual(peer.commands(), [])

    def test_config_with_verify_and_start_refused(self):
        peer = self.peer()
        self.configure(peer, '[start]\nconnect=qemu:///system\n')
        res = self.hook_run()
        self.assertFailedWithReason(res, EXIT_INPUT, '[verify]', '[start]', 'keep one')
        peer.stop()
        self.assertEqual(peer.commands(), [])

    def test_unreadable_config_fails_closed(self):
        peer = self.peer()
        os.symlink(os.path.join(self.files.dir, 'absent'), self.files.config)
        res = self.hook_run()
        self.assertFailedWithReason(res, EXIT_INPUT, 'cannot read', self.files.config)
        peer.stop()
        self.assertEqual(peer.commands(), [])

    def test_open_config_refused(self):
        peer = self.peer()
        self.configure(peer)
        os.chmod(self.files.config, 0o664)
        res = self.hook_run()
        self.assertFailedWithReason(res, EXIT_INPUT, 'writable by group or others')
        peer.stop()
        self.assertEqual(peer.commands(), [])

    def test_no_child_keeps_the_hooks_output_open(self):
        # a peer that never answers: verify's own timeout ends it, the hook returns
        peer = self.peer('--delay-on', 'query-status', '--delay', '30')
        self.configure(peer, timeout=2)
        res = self.hook_run()
        self.assertNotEqual(res.returncode, 0)
        self.assertLess(res.elapsed, 15, 'the hook outlived sevlaunch --timeout 2')
        self.assertIn('--timeout', res.err)


class TestHookInRealLibvirtd(libvirtd.LibvirtdTestCase):

    @classmethod
    def setUpClass(cls):
        if not HOOK or not CONFDIR:
            raise unittest.SkipTest('LIBVIRT_HOOK_TEST is not set (run through meson test)')
        super().setUpClass()
        try:
            cls.daemon.install_hook(HOOK, '50-sevlaunch-test')
        except BaseException:
            cls.daemon.close()
            raise

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix='sl-hook-libvirt-')
        self.addCleanup(shutil.rmtree, self.tmp, True)

    def domain_with_monitor(self, with_config=True):
        name = self.daemon.unique_name('hook')
        qmp = self.daemon.monitor_path(name)
        xml = DOMAIN_XML % (SECOND_MONITOR % qmp)
        # define() names it again: keep the name the monitor path was made for
        xml = xml.replace('NAME', name)
        self.daemon.domains.append(name)
        path = os.path.join(self.tmp, name + '.xml')
        with open(path, 'w', encoding='utf-8') as f:
            f.write(xml)
        self.daemon.virsh('define', path, check=True)
        if with_config:
            files = HookFiles(name)
            self.addCleanup(files.remove)
            files.copy(harness.SEVCTL_FW, 'OVMF.fd')
            files.copy(os.path.join(harness.SEVCTL, 'tik1.bin'), 'tik.bin')
            keys = os.path.basename(files.dir)
            files.write_config('[verify]\nqmp=unix:%s\nfirmware=%s/OVMF.fd\ntik=%s/tik.bin\n'
                               'timeout=30\n' % (qmp, keys, keys))
        return name

    def assertShutOff(self, name):
        self.assertEqual(self.daemon.domstate(name), 'shut off')

    def test_plain_start_refused_with_paused_message(self):
        name = self.domain_with_monitor()
        res = self.daemon.virsh('start', name)
        self.assertNotEqual(res.returncode, 0, res.out)
        self.assertIn('virsh start --paused', res.err)
        self.assertIn("vCPUs have already run", res.err)
        self.assertShutOff(name)

    def test_paused_start_fails_with_sev_off(self):
        name = self.domain_with_monitor()
        res = self.daemon.virsh('start', '--paused', name)
        self.assertNotEqual(res.returncode, 0, res.out)
        self.assertIn('SEV is not enabled', res.err)
        self.assertNotIn('--paused', res.err)
        self.assertShutOff(name)

    def test_domain_without_config_starts(self):
        name = self.domain_with_monitor(with_config=False)
        res = self.daemon.virsh('start', name)
        self.assertEqual(res.returncode, 0, res.err)
        self.assertEqual(self.daemon.domstate(name), 'running')
        self.daemon.virsh('destroy', name, check=True)


if __name__ == '__main__':
    harness.main()
