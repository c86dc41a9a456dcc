#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""verify --connect and start against a real libvirtd and real QEMU.

Every domain's <emulator> is tests/libvirt-emulator-wrapper.py. A domain
without SEV gets Debian's qemu-system-x86_64 as libvirt started it (exec'd,
unchanged). For an SEV domain the wrapper runs the same QEMU with SEV
stripped and answers only the SEV monitor commands, from a simulated secure
processor (see libvirt_sim.py): libvirt's API and daemon, its monitor
traffic, the domain's QEMU and firmware are all real.
"""

import atexit
import os
import signal
import sys
import unittest

import harness
import libvirt_sim
import libvirtd
from harness import LiveTestCase

OTHER_FIRMWARE = '/usr/share/OVMF/OVMF_CODE.fd'
URI = libvirtd.URI
DAEMON = None
SIM = None


def setUpModule():
    global DAEMON, SIM
    if os.environ.get('SEVLAUNCH_LIBVIRT') == '0':
        raise unittest.SkipTest('sevlaunch was built without the libvirt feature')
    if not os.path.exists(harness.DEBIAN_OVMF):
        raise unittest.SkipTest('Debian OVMF is not installed (apt package ovmf)')
    # a test killed by meson's timeout still cleans up (domains, daemons, /dev/sev)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    DAEMON = libvirtd.Libvirtd()
    try:
        DAEMON.open()
        SIM = libvirt_sim.SevSimulator(os.path.join(harness.SEVCTL, 'secret', 'tik1.bin'),
                                       os.path.join(harness.SEVCTL, 'secret', 'tek1.bin'))
        atexit.register(SIM.remove)
        DAEMON.forget_capabilities_of(SIM.wrapper)
    except libvirtd.SkipReason as e:
        DAEMON.close()
        raise unittest.SkipTest(str(e))
    except BaseException:
        DAEMON.close()
        raise


def tearDownModule():
    if SIM is not None:
        SIM.remove()
    if DAEMON is not None:
        DAEMON.close()


class Domain:
    """A domain of this test, by its unique name."""

    def __init__(self, name):
        self.name = name

    def state(self):
        return DAEMON.domstate(self.name)


class LibvirtCase(LiveTestCase):

    def setUp(self):
        super().setUp()
        self.domains = []
        SIM.mark()
        self.secret = self.write_private('secret.txt', b'owner secret')

    def tearDown(self):
        # each test's QEMU goes at once: two cores are shared
        for d in self.domains:
            DAEMON.remove_domain(d.name)
        super().tearDown()

    def define(self, hint, **kwargs):
        emulator = kwargs.pop('emulator', SIM.wrapper)
        firmware = kwargs.pop('firmware', harness.DEBIAN_OVMF)
        dom = Domain(DAEMON.define(libvirt_sim.domain_xml('NAME', emulator, firmware, **kwargs), hint))
        self.domains.append(dom)
        return dom

    def virsh(self, *args):
        return DAEMON.virsh(*args, check=True)

    def sev_options(self, firmware=harness.DEBIAN_OVMF):
        # Debian's OVMF declares no secret area: the secret goes to an address of our choosing
        return ['--firmware', firmware, '--tik', self.s_tik, '--tek', self.s_tek,
                '--secret', '%s:%s' % (harness.S_GUID1, self.secret),
                '--secret-gpa', '0x820000', '--timeout', '60', '--json']

    def assertShutOff(self, dom):
        self.assertEqual(dom.state(), 'shut off')
        self.assertEqual(libvirt_sim.qemu_processes(dom.name), [])


class TestPlainDomain(LibvirtCase):
    """A TCG domain without SEV, run by Debian's QEMU itself."""

    def test_verify_refuses(self):
        dom = self.define('plain', launch_security=False)
        self.virsh('start', '--paused', dom.name)
        res = self.sevlaunch('verify', '--connect', URI, '--domain', dom.name,
                             '--firmware', harness.DEBIAN_OVMF, '--tik', self.tik)
        self.assertExit(res, 4)
        self.assertOneErrorLine(res, "no <launchSecurity type='sev'>")
        # verify leaves a domain it did not start as it was
        self.assertEqual(dom.state(), 'paused')

    def test_start_refuses_and_destroys(self):
        dom = self.define('plain', launch_security=False)
        res = self.sevlaunch('start', '-c', URI, '-o', dom.name,
                             '--firmware', harness.DEBIAN_OVMF, '--tik', self.tik)
        self.assertExit(res, 4)
        self.assertOneErrorLine(res, "no <launchSecurity type='sev'>", 'domain destroyed')
        self.assertShutOff(dom)

    def test_start_leaves_a_running_domain_alone(self):
        dom = self.define('plain', launch_security=False)
        self.virsh('start', dom.name)
        res = self.sevlaunch('start', '-c', URI, '-o', dom.name,
                             '--firmware', harness.DEBIAN_OVMF, '--tik', self.tik)
        self.assertExit(res, 4)
        self.assertOneErrorLine(res, 'already running')
        self.assertEqual(dom.state(), 'running')

    def test_unknown_domain_and_bad_uri(self):
        res = self.sevlaunch('verify', '-c', URI, '-o', 'sevlaunch-no-such-domain',
                             '--firmware', harness.DEBIAN_OVMF, '--tik', self.tik)
        self.assertExit(res, 2)
        self.assertOneErrorLine(res, "no domain 'sevlaunch-no-such-domain'")
        res = self.sevlaunch('verify', '-c', 'qemu+unix:///system?socket=/nonexistent/sock',
                             '-o', 'x', '--firmware', harness.DEBIAN_OVMF, '--tik', self.tik)
        self.assertExit(res, 3)
        self.assertOneErrorLine(res, 'cannot connect to libvirt')


class TestSevDomain(LibvirtCase):
    """SEV domains: real libvirtd and QEMU, the secure processor simulated."""

    def test_start_match_injects_and_resumes(self):
        dom = self.define('sev')
        res = self.sevlaunch('start', '--connect', URI, '--domain', dom.name, *self.sev_options())
        self.assertExit(res, 0)
        self.assertEqual(res.json['verdict'], 'verified')
        self.assertIs(res.json['resumed'], True)
        self.assertEqual(res.json['libvirt']['domain'], dom.name)
        self.assertIs(res.json['libvirt']['started'], True)
        # the SP opened the packet libvirt passed on, and found the owner's secret in it
        self.assertEqual(SIM.injected(), [{harness.S_GUID1: b'owner secret'.hex()}])
        self.assertEqual(dom.state(), 'running')

    def test_start_mismatch_destroys_without_injecting(self):
        dom = self.define('sev')
        # the owner expects another firmware than the host runs
        res = self.sevlaunch('start', '-c', URI, '-o', dom.name,
                             *self.sev_options(OTHER_FIRMWARE))
        self.assertExit(res, 1)
        self.assertEqual(res.json['verdict'], 'mismatch')
        self.assertIn('nothing injected', res.json['error']['message'])
        self.assertIs(res.json['quit']['done'], True)
        self.assertNotIn('sev-inject-launch-secret', [e.get('execute') for e in SIM.entries()])
        self.assertShutOff(dom)

    def test_start_mismatch_pause_keeps_it_paused(self):
        dom = self.define('sev')
        res = self.sevlaunch('start', '-c', URI, '-o', dom.name, '--on-mismatch', 'pause',
                             *self.sev_options(OTHER_FIRMWARE))
        self.assertExit(res, 1)
        self.assertEqual(res.json['verdict'], 'mismatch')
        self.assertNotIn('quit', res.json)
        self.assertEqual(SIM.injected(), [])
        self.assertEqual(dom.state(), 'paused')

    def test_verify_paused_domain_no_resume(self):
        dom = self.define('sev')
        self.virsh('start', '--paused', dom.name)
        # a URI with a transport and parameters, as a remote one has (qemu+ssh://, qemu+tls://)
        uri = 'qemu+unix:///system?socket=/run/libvirt/libvirt-sock'
        res = self.sevlaunch('verify', '-c', uri, '-o', dom.name, '--no-resume',
                             *self.sev_options())
        self.assertExit(res, 0)
        self.assertIs(res.json['resumed'], False)
        self.assertIs(res.json['libvirt']['started'], False)
        self.assertEqual(len(SIM.injected()), 1)
        self.assertEqual(dom.state(), 'paused')

    def test_verify_mismatch_quit_destroys(self):
        dom = self.define('sev')
        self.virsh('start', '--paused', dom.name)
        res = self.sevlaunch('verify', '-c', URI, '-o', dom.name, '--on-mismatch', 'quit',
                             *self.sev_options(OTHER_FIRMWARE))
        self.assertExit(res, 1)
        self.assertIn('nothing injected', res.json['error']['message'])
        self.assertIs(res.json['quit']['done'], True)
        self.assertEqual(SIM.injected(), [])
        self.assertShutOff(dom)

    def test_verify_running_domain_refused(self):
        dom = self.define('sev')
        self.virsh('start', dom.name)
        res = self.sevlaunch('verify', '-c', URI, '-o', dom.name, *self.sev_options())
        self.assertExit(res, 4)
        self.assertIn('already run', res.json['error']['message'])
        self.assertEqual(SIM.injected(), [])

    def test_verify_suspended_domain_refused(self):
        # libvirt says "paused" as for a fresh --paused start; QEMU's own status tells them apart
        dom = self.define('sev')
        self.virsh('start', dom.name)
        self.virsh('suspend', dom.name)
        self.assertEqual(dom.state(), 'paused')
        res = self.sevlaunch('verify', '-c', URI, '-o', dom.name, *self.sev_options())
        self.assertExit(res, 4)
        self.assertIn("QEMU status 'paused', not 'prelaunch'", res.json['error']['message'])
        self.assertEqual(SIM.injected(), [])

    def test_start_without_owner_session_refused(self):
        dom = self.define('sev-nosession', owner_session=False)
        res = self.sevlaunch('start', '-c', URI, '-o', dom.name, *self.sev_options())
        self.assertExit(res, 4)
        self.assertIn('no <dhCert>', res.json['error']['message'])
        self.assertIn('domain destroyed', res.json['error']['message'])
        self.assertEqual(SIM.injected(), [])
        self.assertShutOff(dom)


if __name__ == '__main__':
    harness.main()
