"""gunicorn settings for production, behind deploy/nginx/wizard.conf (docs/deploying.md).

The systemd unit runs: gunicorn --config deploy/gunicorn.conf.py 'app:create_app()'
from the repository folder. It starts from the top-level gunicorn.conf.py (`make run`
and the tests: its start-up check that turns a bad setting into one message, its
worker model) and sets what a public service behind nginx needs.
"""
import multiprocessing
from pathlib import Path

_base = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"
exec(compile(_base.read_text(), str(_base), "exec"))

# Only nginx talks to gunicorn, through a unix socket that only nginx's user can open: no TCP port at
# all, so no other local process can reach gunicorn (nor spoof X-Forwarded-For to it). systemd makes the
# socket (deploy/systemd/wizard.socket: www-data, mode 0600) and hands it to gunicorn, which then uses
# it instead of binding this address itself.
bind = "unix:/run/wizard/gunicorn.sock"

# The same worker model as the tests and benchmarks: threads, one process per CPU
# (at least 2, so one crashing worker never leaves nobody to answer).
worker_class = "gthread"
workers = max(2, multiprocessing.cpu_count())
threads = 4

# Trust X-Forwarded-Proto only from nginx: gunicorn believes it from a unix-socket peer (nginx, the only
# one that can connect) and from nobody else; never take SCRIPT_NAME or PATH_INFO from a request header.
# secure_scheme_headers (X-Forwarded-Proto only) comes from the top-level file.
forwarded_allow_ips = ""
forwarder_headers = ""

# No control socket in the service account's home (ProtectHome= hides it anyway);
# systemd's `systemctl reload wizard` (SIGHUP) does what it was for.
control_socket_disable = True

# A request that takes longer than this kills its worker (it is restarted).
timeout = 30
graceful_timeout = 30
keepalive = 2  # nginx opens a new connection per request; idle ones go quickly

# Logs: errors to stderr, which systemd sends to the journal (journalctl -u wizard).
# No access log: the app logs each request's route pattern itself, and nginx
# logs paths without query strings.
accesslog = None
errorlog = "-"
