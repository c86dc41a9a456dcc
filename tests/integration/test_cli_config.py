#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""--config FILE: options from a GKeyFile group, against qmp-peer.py."""

import os
import re
import shutil

import harness
from harness import LiveTestCase

EXIT_VERIFIED, EXIT_INPUT, EXIT_NOT_VERIFIABLE = 0, 2, 4
SECRET_DIR = os.path.join(harness.SEVCTL, 'secret')


def long_options(help_text):
    """The long option names a --help text lists."""
    return sorted(set(re.findall(r'^\s+(?:-\w, )?--([a-z0-9-]+)', help_text, re.M)))


class ConfigCase(LiveTestCase):

    def setUp(self):
        super().setUp()
        # the config and the files it names live together; the cwd is elsewhere
        self.confdir = os.path.join(self.tmp, 'conf')
        os.mkdir(self.confdir)
        shutil.copyfile(harness.SEVCTL_FW, os.path.join(self.confdir, 'OVMF.fd'))
        os.rename(self.s_tik, os.path.join(self.confdir, 'tik.bin'))
        os.rename(self.s_tek, os.path.join(self.confdir, 'tek.bin'))
        os.mkdir(os.path.join(self.confdir, 'secrets'), 0o700)
        self.secret1 = os.path.join(self.confdir, 'secrets', 'one')
        shutil.copyfile(os.path.join(SECRET_DIR, 'secret1.txt'), self.secret1)
        os.chmod(self.secret1, 0o600)

    def peer(self, *extra):
        return self.start_peer('--tik', os.path.join(self.confdir, 'tik.bin'),
                               '--tek', os.path.join(self.confdir, 'tek.bin'),
                               '--firmware', harness.SEVCTL_FW,
                               '--api', '1.40', '--build', '40', '--policy', '0x3', *extra)

    def config(self, text, mode=0o600, name='guest.conf'):
        path = os.path.join(self.confdir, name)
        with open(path, 'w', encoding='utf-8') as f:
            f.write(text)
        os.chmod(path, mode)
        return path

    def verify_config(self, peer, extra_lines=''):
        return self.config('[verify]\nqmp=%s\nfirmware=OVMF.fd\ntik=tik.bin\n%s'
                           % (peer.address, extra_lines))

    def assertUntouched(self, peer):
        peer.stop()
        self.assertEqual(peer.commands(), [])


class TestConfigVerify(ConfigCase):

    def test_verify_from_config_with_relative_paths(self):
        peer = self.peer()
        conf = self.verify_config(peer)
        res = self.sevlaunch('verify', '--config', conf)
        self.assertExit(res, EXIT_VERIFIED)
        self.assertIn('verdict: verified', res.out)
        peer.finish()
        self.assertEqual(peer.commands().count('cont'), 1, peer.commands())

    def test_resume_false_leaves_guest_paused(self):
        peer = self.peer()
        conf = self.verify_config(peer, 'resume=false\n')
        res = self.sevlaunch('verify', '--config', conf)
        self.assertExit(res, EXIT_VERIFIED)
        peer.finish()
        self.assertNoResume(peer)

    def test_command_line_overrides_config(self):
        peer = self.peer()
        conf = self.config('[verify]\nqmp=unix:%s\nfirmware=OVMF.fd\ntik=tik.bin\n'
                           % os.path.join(self.tmp, 'no-such.sock'))
        res = self.sevlaunch('verify', '--config', conf, '--qmp', peer.address)
        self.assertExit(res, EXIT_VERIFIED)

    def test_secret_list_from_config_injected(self):
        peer = self.peer()
        conf = self.verify_config(peer, 'tek=tek.bin\nsecret=%s:secrets/one\n' % harness.S_GUID1)
        res = self.sevlaunch('verify', '--config', conf)
        self.assertExit(res, EXIT_VERIFIED)
        peer.finish()
        inj = peer.injections()
        self.assertEqual(len(inj), 1, peer.log())
        self.assertEqual(list(inj[0]['injected']), [harness.S_GUID1])

    def test_command_line_secret_replaces_config_list(self):
        peer = self.peer()
        # the config's secret does not exist: only the command line's is read
        conf = self.verify_config(peer, 'tek=tek.bin\nsecret=%s:secrets/absent\n' % harness.S_GUID2)
        res = self.sevlaunch('verify', '--config', conf,
                             '--secret', '%s:%s' % (harness.S_GUID1, self.secret1))
        self.assertExit(res, EXIT_VERIFIED)
        peer.finish()
        self.assertEqual(list(peer.injections()[0]['injected']), [harness.S_GUID1])

    def test_mismatch_from_config_injects_nothing(self):
        peer = self.peer('--tamper-firmware')
        conf = self.verify_config(peer, 'tek=tek.bin\nsecret=%s:secrets/one\n' % harness.S_GUID1)
        res = self.sevlaunch('verify', '--config', conf)
        self.assertExit(res, 1)
        peer.finish()
        self.assertNoSecretSent(peer)
        self.assertNoResume(peer)


class TestConfigRefused(ConfigCase):

    def refused(self, text, *keywords, mode=0o600):
        peer = self.peer()
        conf = self.config(text.replace('QMP', peer.address), mode=mode)
        res = self.sevlaunch('verify', '--config', conf)
        self.assertExit(res, EXIT_INPUT)
        self.assertOneErrorLine(res, conf, *keywords)
        self.assertUntouched(peer)
        return res

    def test_group_writable(self):
        self.refused('[verify]\nqmp=QMP\ntik=tik.bin\n', 'writable by group or others',
                     mode=0o660)

    def test_other_writable(self):
        self.refused('[verify]\nqmp=QMP\ntik=tik.bin\n', 'writable by group or others',
                     mode=0o646)

    def test_unknown_key(self):
        self.refused('[verify]\nqmp=QMP\ntik=tik.bin\nfirmwre=OVMF.fd\n', '[verify] firmwre',
                     'unknown key')

    def test_unknown_group(self):
        self.refused('[verify]\nqmp=QMP\ntik=tik.bin\n[verfiy]\nx=1\n', '[verfiy]', 'unknown group')

    def test_wrong_type(self):
        self.refused('[verify]\nqmp=QMP\ntik=tik.bin\nsev-es=1x\n', '[verify] sev-es')
        self.refused('[verify]\nqmp=QMP\ntik=tik.bin\nvcpus=two\n', '[verify] vcpus')

    def test_key_bytes_are_not_a_path(self):
        # a config holds paths only: key bytes in tik= are a file name that does not exist
        peer = self.peer()
        conf = self.config('[verify]\nqmp=%s\nfirmware=OVMF.fd\ntik=AAECAwQFBgcICQoLDA0ODw==\n'
                           % peer.address)
        res = self.sevlaunch('verify', '--config', conf)
        self.assertExit(res, EXIT_INPUT)
        self.assertOneErrorLine(res, 'TIK', os.path.join(self.confdir, 'AAECAwQF'))
        self.assertUntouched(peer)

    def test_config_of_another_command_only(self):
        self.refused('[measure]\nfirmware=OVMF.fd\n', 'no [verify] group')


class TestEveryOptionConfigurable(ConfigCase):
    """Every long option of every command is a config key (new ones too)."""

    def commands(self):
        res = self.sevlaunch('--help')
        self.assertExit(res, 0)
        names = re.findall(r'^  ([a-z]+)\s', res.out, re.M)
        self.assertIn('verify', names)
        return names

    def test_every_option_is_a_key(self):
        for command in self.commands():
            res = self.sevlaunch(command, '--help')
            self.assertExit(res, 0)
            options = [o for o in long_options(res.out) if o not in ('help', 'config')]
            self.assertIn('config', long_options(res.out), command)
            self.assertTrue(options, command)
            for option in options:
                with self.subTest(command=command, option=option):
                    conf = self.config('[%s]\n%s=\n' % (command, option), name='every.conf')
                    res = self.sevlaunch(command, '--config', conf)
                    self.assertExit(res, EXIT_INPUT)
                    self.assertOneErrorLine(res, '[%s] %s' % (command, option))
                    self.assertNotIn('unknown key', res.err)


if __name__ == '__main__':
    harness.main()
