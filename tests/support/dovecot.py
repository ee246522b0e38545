"""A private Dovecot on a free loopback port, for the mailbox sync tests (no mock IMAP).

Debian's `dovecot-imapd` (installed with apt when missing, as `.ci/run` does), one config under a
temporary folder, Maildirs owned by a throwaway system user (Dovecot refuses to keep mail as
root), plain login on 127.0.0.1, any user name with PASSWORD. `stop()` and `start()` drop and restore the server mid-test.
"""

import imaplib
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

MAIL_USER = "noghostmail"
PASSWORD = "app-pass-1"
CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{root}/mail/%u
first_valid_uid = {uid}
mail_uid = {uid}
mail_gid = {gid}
default_login_user = dovenull
default_internal_user = dovecot
passdb {{
  driver = static
  args = password={password}
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/mail/%u
}}
namespace inbox {{
  inbox = yes
  mailbox Sent {{
    special_use = \\Sent
    auto = create
  }}
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
"""


def ensure_installed():
    if shutil.which("dovecot") or Path("/usr/sbin/dovecot").exists():
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "dovecot-imapd"], check=True, env=env)


def mail_user():
    """The (uid, gid) of the throwaway system user the mail files belong to, made once."""
    try:
        entry = pwd.getpwnam(MAIL_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", MAIL_USER], check=True)
        entry = pwd.getpwnam(MAIL_USER)
    return entry.pw_uid, entry.pw_gid


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Dovecot:
    def __init__(self, root):
        self.root, self.port, self.uid = Path(root), free_port(), mail_user()
        for folder in ("run", "state", "mail"):
            (self.root / folder).mkdir()
        os.chown(self.root / "mail", *self.uid)
        self.config = self.root / "dovecot.conf"
        self.config.write_text(CONFIG.format(root=self.root, uid=self.uid[0], gid=self.uid[1], port=self.port,
                                                  password=PASSWORD))

    def add_user(self, name):
        """A mail user of its own: any name signs in with PASSWORD (a static passdb), its Maildir made on login."""
        return name

    def start(self):
        subprocess.run(["dovecot", "-c", str(self.config)], check=True)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"Dovecot did not listen on {self.port}: {self.log()}")

    def stop(self):
        """Stop the server, cutting the sessions open now (a stopped master lets them run on)."""
        subprocess.run(["doveadm", "-c", str(self.config), "kick", "*"], check=False, capture_output=True)
        subprocess.run(["dovecot", "-c", str(self.config), "stop"], check=False)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and (self.root / "run" / "master.pid").exists():
            time.sleep(0.05)

    def log(self):
        path = self.root / "dovecot.log"
        return path.read_text()[-2000:] if path.exists() else ""

    def imap(self, user):
        """An imaplib connection logged in as `user`, for putting messages in place."""
        connection = imaplib.IMAP4("127.0.0.1", self.port)
        connection.login(user, PASSWORD)
        return connection

    def append(self, user, raw, folder="INBOX"):
        """APPEND one message; returns (UIDVALIDITY, UID) from the server's APPENDUID."""
        connection = self.imap(user)
        try:
            status, data = connection.append(folder, None, None, raw)
            assert status == "OK", data
            validity, uid = re.search(rb"APPENDUID (\d+) (\d+)", data[0]).groups()
            return int(validity), int(uid)
        finally:
            connection.logout()

    def reset_uidvalidity(self, user, folder="INBOX"):
        """Make the server give `folder` a new UIDVALIDITY (as a restored or rebuilt mailbox does)."""
        self.stop()
        maildir = self.root / "mail" / user / ("" if folder == "INBOX" else f".{folder}")
        for name in ("dovecot-uidlist", "dovecot.index", "dovecot.index.cache", "dovecot.index.log"):
            (maildir / name).unlink(missing_ok=True)
        time.sleep(1.1)  # UIDVALIDITY is the creation time in seconds: a new second, a new value
        self.start()


@pytest.fixture(scope="session")
def dovecot_server():
    ensure_installed()
    root = tempfile.mkdtemp(prefix="noghost-dovecot-")
    os.chmod(root, 0o755)
    server = Dovecot(root)
    server.start()
    yield server
    server.stop()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def dovecot(dovecot_server, request):
    """The server, with a fresh mail user for this test (its name returned as `.user`)."""
    dovecot_server.user = dovecot_server.add_user(f"u{abs(hash(request.node.nodeid)) % 10**8}")
    if not (dovecot_server.root / "run" / "master.pid").exists():
        dovecot_server.start()
    return dovecot_server
