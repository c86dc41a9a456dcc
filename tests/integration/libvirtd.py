# SPDX-License-Identifier: GPL-2.0-or-later
"""A real libvirtd for the integration tests, shared safely.

Use:

    class MyTest(libvirtd.LibvirtdTestCase):
        def test_x(self):
            name = self.daemon.define(xml_with_NAME_placeholder)   # unique name
            self.daemon.virsh('start', '--paused', name)

- A libvirtd that already runs is used as it is; otherwise `virtlogd -d` and
  `libvirtd -d` are started, and exactly the PIDs started are stopped at the end.
- One test process at a time: an exclusive fcntl.flock on LOCK_PATH is held from
  setUpClass to tearDownClass (meson runs suites in parallel, and several
  worktrees may test at once).
- Skips with the reason when not root, when libvirt or QEMU is not installed, when
  the lock cannot be had in time, or when libvirtd does not answer.
- Everything made is undone: domains (destroyed and undefined), their
  /run/sevlaunch/NAME.qmp sockets, hooks installed with install_hook (an
  existing file of the same name is put back, libvirtd re-reads its hooks on
  SIGHUP), capability cache entries registered with forget_capabilities_of.
"""

import atexit
import fcntl
import glob
import os
import shutil
import signal
import subprocess
import tempfile
import time
import unittest
import uuid

LOCK_PATH = '/run/lock/sevlaunch-tests-libvirtd.lock'
LOCK_WAIT_S = float(os.environ.get('SEVLAUNCH_LIBVIRTD_LOCK_WAIT', '900'))
URI = 'qemu:///system'
HOOKS_DIR = '/etc/libvirt/hooks'
QEMU_HOOKS_DIR = os.path.join(HOOKS_DIR, 'qemu.d')
CAPS_CACHE = '/var/cache/libvirt/qemu/capabilities'
MONITOR_DIR = '/run/sevlaunch'
LIBVIRTD_PIDFILE = '/run/libvirtd.pid'
VIRTLOGD_PIDFILE = '/run/virtlogd.pid'
DAEMON_START_S = 30
NAME_PREFIX = 'sl-test-'


def which(name):
    return shutil.which(name, path='/usr/sbin:/usr/bin:/sbin:/bin')


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # a zombie child is dead for our purpose
    try:
        with open('/proc/%d/stat' % pid, encoding='ascii', errors='replace') as f:
            return f.read().split(') ')[-1][:1] != 'Z'
    except OSError:
        return False


def read_pidfile(path):
    try:
        with open(path, encoding='ascii') as f:
            pid = int(f.read().strip())
    except (OSError, ValueError):
        return None
    return pid if pid_alive(pid) else None


def libvirt_qemu_ids():
    """uid and gid of the user libvirt runs QEMU as on Debian."""
    import pwd
    try:
        pw = pwd.getpwnam('libvirt-qemu')
    except KeyError:
        return None
    return pw.pw_uid, pw.pw_gid


class SkipReason(Exception):
    pass


class Libvirtd:
    """The daemon, the lock, and the things made through them."""

    def __init__(self):
        self.lock_fd = None
        self.started = []  # (name, pid) we started, stopped in reverse
        self.domains = []
        self.files = []  # files made that are removed at the end
        self.hooks = []  # (path, backup or None)
        self.made_hook_dir = False
        self.emulators = []  # capability cache entries to forget
        self.closed = False
        self.virsh_bin = which('virsh')

    # lock and daemon

    def open(self):
        """Takes the lock and makes sure a daemon answers; raises SkipReason."""
        if os.geteuid() != 0:
            raise SkipReason('needs root (libvirtd system mode)')
        for tool in ('virsh', 'libvirtd', 'virtlogd', 'qemu-system-x86_64'):
            if which(tool) is None:
                raise SkipReason('%s is not installed (scripts/install-deps.sh installs '
                                 'libvirt-daemon-system, libvirt-clients, qemu-system-x86)' % tool)
        self.take_lock()
        atexit.register(self.close)
        # meson ends a test that times out with SIGTERM: clean up on the way out
        signal.signal(signal.SIGTERM, self.on_sigterm)
        if not self.answers():
            self.start_daemons()
        self.remove_leftovers()

    @staticmethod
    def on_sigterm(signum, frame):
        raise KeyboardInterrupt('SIGTERM')

    def remove_leftovers(self):
        """Domains of test processes that died without cleaning up (sl-test-HINT-PID-...)."""
        res = self.virsh('list', '--all', '--name')
        for name in res.out.split():
            parts = name[len(NAME_PREFIX):].split('-') if name.startswith(NAME_PREFIX) else []
            if len(parts) >= 3 and parts[-2].isdigit() and not pid_alive(int(parts[-2])):
                self.remove_domain(name)

    def take_lock(self):
        os.makedirs(os.path.dirname(LOCK_PATH), exist_ok=True)
        self.lock_fd = os.open(LOCK_PATH, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        deadline = time.monotonic() + LOCK_WAIT_S
        while True:
            try:
                fcntl.flock(self.lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() > deadline:
                    os.close(self.lock_fd)
                    self.lock_fd = None
                    raise SkipReason('another test process held %s for %d s' % (LOCK_PATH, LOCK_WAIT_S))
                time.sleep(0.2)

    def answers(self, timeout=10):
        try:
            res = subprocess.run([self.virsh_bin, '-q', '-c', URI, 'uri'], capture_output=True,
                                 stdin=subprocess.DEVNULL, timeout=timeout)
        except subprocess.TimeoutExpired:
            return False
        return res.returncode == 0

    def start_one(self, name, pidfile):
        if read_pidfile(pidfile) is not None:
            return
        res = subprocess.run([which(name), '-d'], capture_output=True, stdin=subprocess.DEVNULL,
                             timeout=DAEMON_START_S)
        deadline = time.monotonic() + DAEMON_START_S
        pid = read_pidfile(pidfile)
        while pid is None and time.monotonic() < deadline:
            time.sleep(0.1)
            pid = read_pidfile(pidfile)
        if pid is None:
            raise SkipReason('%s -d did not start (exit %d): %s'
                             % (name, res.returncode, res.stderr.decode(errors='replace').strip()))
        self.started.append((name, pid))

    def start_daemons(self):
        self.start_one('virtlogd', VIRTLOGD_PIDFILE)
        self.start_one('libvirtd', LIBVIRTD_PIDFILE)
        deadline = time.monotonic() + DAEMON_START_S
        while not self.answers(timeout=5):
            if time.monotonic() > deadline:
                raise SkipReason('libvirtd started but %s does not answer' % URI)
            time.sleep(0.2)

    def libvirtd_pid(self):
        return read_pidfile(LIBVIRTD_PIDFILE)

    def reload(self):
        """SIGHUP: libvirtd re-reads its hooks (and configs)."""
        pid = self.libvirtd_pid()
        if pid is None:
            raise AssertionError('no libvirtd pid in %s to SIGHUP' % LIBVIRTD_PIDFILE)
        os.kill(pid, signal.SIGHUP)
        # the reload runs on a thread of its own; wait until the daemon answers again
        time.sleep(0.5)
        deadline = time.monotonic() + DAEMON_START_S
        while not self.answers(timeout=5):
            if time.monotonic() > deadline:
                raise AssertionError('libvirtd does not answer after SIGHUP')
            time.sleep(0.2)

    # virsh

    def virsh(self, *args, check=False, timeout=120):
        res = subprocess.run([self.virsh_bin, '-c', URI] + [str(a) for a in args],
                             capture_output=True, stdin=subprocess.DEVNULL, timeout=timeout)
        res.out = res.stdout.decode('utf-8', errors='replace')
        res.err = res.stderr.decode('utf-8', errors='replace')
        if check and res.returncode != 0:
            raise AssertionError('virsh %s: exit %d\n%s%s' % (' '.join(map(str, args)),
                                                              res.returncode, res.out, res.err))
        return res

    def domstate(self, name):
        return self.virsh('domstate', name, check=True).out.strip()

    # domains

    def unique_name(self, hint='dom'):
        return '%s%s-%d-%s' % (NAME_PREFIX, hint, os.getpid(), uuid.uuid4().hex[:8])

    def monitor_path(self, name):
        """The second monitor's socket for @name, in a directory QEMU (libvirt-qemu) can write."""
        os.makedirs(MONITOR_DIR, mode=0o750, exist_ok=True)
        ids = libvirt_qemu_ids()
        if ids is not None:
            os.chown(MONITOR_DIR, ids[0], ids[1])
        path = os.path.join(MONITOR_DIR, name + '.qmp')
        self.files.append(path)
        return path

    def define(self, xml, hint='dom'):
        """Defines the domain in @xml with NAME replaced by a unique name; returns the name."""
        name = self.unique_name(hint)
        text = xml.replace('NAME', name)
        with tempfile.NamedTemporaryFile('w', suffix='.xml', delete=False) as f:
            f.write(text)
        try:
            self.domains.append(name)
            self.virsh('define', f.name, check=True)
        finally:
            os.unlink(f.name)
        return name

    def remove_domain(self, name):
        self.virsh('destroy', name)
        self.virsh('undefine', name, '--nvram')
        if self.virsh('dominfo', name).returncode == 0:
            self.virsh('undefine', name)

    # hooks

    def install_hook(self, source, name):
        """Copies @source to qemu.d/@name and SIGHUPs libvirtd; an existing file is kept aside
        and put back, except a leftover test hook (a @name ending in -test)."""
        if not os.path.isdir(QEMU_HOOKS_DIR):
            os.makedirs(QEMU_HOOKS_DIR, mode=0o755)
            self.made_hook_dir = True
        path = os.path.join(QEMU_HOOKS_DIR, name)
        backup = None
        if name.endswith('-test') and os.path.lexists(path):
            # left by a test process that was killed: not an administrator's
            os.unlink(path)
        if os.path.lexists(path):
            # outside qemu.d: libvirt runs every executable there
            backup = tempfile.mkdtemp(prefix='sl-hook-backup-', dir='/run')
            backup = os.path.join(backup, name)
            os.rename(path, backup)
        self.hooks.append((path, backup))
        shutil.copyfile(source, path + '.new')
        os.chmod(path + '.new', 0o755)
        os.rename(path + '.new', path)
        self.reload()
        return path

    def remove_hooks(self):
        changed = bool(self.hooks)
        while self.hooks:
            path, backup = self.hooks.pop()
            if os.path.lexists(path):
                os.unlink(path)
            if backup is not None:
                os.rename(backup, path)
                os.rmdir(os.path.dirname(backup))
        if self.made_hook_dir and not os.listdir(QEMU_HOOKS_DIR):
            os.rmdir(QEMU_HOOKS_DIR)
            self.made_hook_dir = False
        if changed and self.libvirtd_pid() is not None:
            self.reload()

    # capability cache

    def forget_capabilities_of(self, emulator):
        """Registers @emulator: its capability cache entry is deleted at the end."""
        self.emulators.append(emulator)

    def forget_capabilities(self):
        for path in glob.glob(os.path.join(CAPS_CACHE, '*.xml')):
            try:
                with open(path, encoding='utf-8', errors='replace') as f:
                    text = f.read()
            except OSError:
                continue
            if any('<emulator>%s</emulator>' % e in text for e in self.emulators):
                os.unlink(path)
        self.emulators = []

    # the end

    def close(self):
        if self.closed:
            return
        self.closed = True
        try:
            self.remove_hooks()
        finally:
            for name in reversed(self.domains):
                self.remove_domain(name)
            self.domains = []
            for path in self.files:
                if os.path.lexists(path):
                    os.unlink(path)
            self.forget_capabilities()
            self.stop_daemons()
            if self.lock_fd is not None:
                os.close(self.lock_fd)
                self.lock_fd = None

    def stop_daemons(self):
        for name, pid in reversed(self.started):
            if not pid_alive(pid):
                continue
            os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + 30
            while pid_alive(pid) and time.monotonic() < deadline:
                time.sleep(0.1)
            if pid_alive(pid):
                os.kill(pid, signal.SIGKILL)
        self.started = []


class LibvirtdTestCase(unittest.TestCase):
    """Holds a Libvirtd (self.daemon / cls.daemon) for the whole class."""

    daemon = None
    skip_reason = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.daemon = Libvirtd()
        try:
            cls.daemon.open()
        except SkipReason as e:
            cls.daemon.close()
            cls.daemon = None
            raise unittest.SkipTest(str(e))

    @classmethod
    def tearDownClass(cls):
        if cls.daemon is not None:
            cls.daemon.close()
            cls.daemon = None
        super().tearDownClass()
