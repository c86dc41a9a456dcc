# SPDX-License-Identifier: GPL-2.0-or-later
"""SEV domains for a real libvirtd on a machine without SEV: only the AMD SP is simulated.

The domain's <emulator> is tests/libvirt-emulator-wrapper.py, which runs the real
qemu-system-x86_64 and answers the SEV monitor commands from qmp-peer.py's SEV
model. This module lays the wrapper out where libvirt's QEMU user can run it,
gives libvirt the /dev/sev it insists on (a placeholder, only if none exists),
and removes all of it afterwards, the capability cache entry included.
"""

import glob
import json
import os
import shutil
import stat
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)
CAPS_CACHE = '/var/cache/libvirt/qemu/capabilities'
DEV_SEV = '/dev/sev'


class SevSimulator:
    """The wrapper directory: wrapper, qmp-peer.py, the SP's keys, its log."""

    def __init__(self, tik, tek):
        # /var/tmp, world-traversable: a 0700 temp dir would hide the wrapper from libvirt-qemu
        self.dir = tempfile.mkdtemp(prefix='sevlaunch-libvirt-', dir='/var/tmp')
        os.chmod(self.dir, 0o755)
        self.wrapper = os.path.join(self.dir, 'qemu-sev-sim')
        self.log = os.path.join(self.dir, 'sim.log')
        self.made_dev_sev = False
        self._copy(os.path.join(TESTS, 'libvirt-emulator-wrapper.py'), 'qemu-sev-sim', 0o755)
        self._copy(os.path.join(TESTS, 'qmp-peer.py'), 'qmp-peer.py', 0o644)
        # test keys only: the simulated SP runs as libvirt's QEMU user
        config = {'tik': self._copy(tik, 'sp-tik', 0o644), 'tek': self._copy(tek, 'sp-tek', 0o644),
                  'log': self.log}
        with open(self.log, 'w'):
            pass
        os.chmod(self.log, 0o666)
        with open(os.path.join(self.dir, 'sim.json'), 'w') as f:
            json.dump(config, f)
        os.chmod(os.path.join(self.dir, 'sim.json'), 0o644)
        if not os.path.exists(DEV_SEV):
            # the numbers of /dev/null: libvirt only needs the node to exist
            os.mknod(DEV_SEV, 0o600 | stat.S_IFCHR, os.makedev(1, 3))
            self.made_dev_sev = True

    def _copy(self, src, name, mode):
        dst = os.path.join(self.dir, name)
        shutil.copyfile(src, dst)
        os.chmod(dst, mode)
        return dst

    def entries(self):
        """What the simulated SP was asked and did, oldest first."""
        with open(self.log) as f:
            return [json.loads(line) for line in f if line.strip()]

    def injected(self):
        return [e['injected'] for e in self.entries() if 'injected' in e]

    def mark(self):
        """Forget the log so far: each test reads only its own entries."""
        with open(self.log, 'w'):
            pass

    def remove(self):
        """Idempotent: tearDownModule and atexit may both call it."""
        if self.made_dev_sev and stat.S_ISCHR(os.lstat(DEV_SEV).st_mode):
            os.unlink(DEV_SEV)
            self.made_dev_sev = False
        for path in glob.glob(os.path.join(CAPS_CACHE, '*.xml')):
            try:
                with open(path) as f:
                    if '<emulator>%s</emulator>' % self.wrapper in f.read():
                        os.unlink(path)
            except OSError:
                pass
        shutil.rmtree(self.dir, ignore_errors=True)


def domain_xml(name, emulator, firmware, launch_security=True, owner_session=True,
               policy=0x1, memory_mib=256):
    """A q35 TCG domain booting @firmware as its ROM; SEV as asked."""
    sev = ''
    if launch_security:
        session = ('<dhCert>AQAAAA==</dhCert><session>AgAAAA==</session>'
                   if owner_session else '')
        sev = ("<launchSecurity type='sev'><cbitpos>47</cbitpos>"
               "<reducedPhysBits>1</reducedPhysBits><policy>0x%04x</policy>%s"
               "</launchSecurity>" % (policy, session))
    return ("<domain type='qemu'><name>%s</name><memory unit='MiB'>%d</memory><vcpu>1</vcpu>"
            "<os><type arch='x86_64' machine='q35'>hvm</type>"
            "<loader type='rom'>%s</loader></os>"
            "<devices><emulator>%s</emulator></devices>%s</domain>"
            % (name, memory_mib, firmware, emulator, sev))


def qemu_processes(name):
    """PIDs of QEMU processes of domain @name still alive."""
    out = subprocess.run(['pgrep', '-f', 'guest=%s,' % name], capture_output=True, text=True)
    return [int(p) for p in out.stdout.split()]
