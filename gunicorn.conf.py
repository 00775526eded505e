"""gunicorn settings for `make run` (and the browser tests and benchmarks)."""
import multiprocessing
import os
import sys

workers = max(2, multiprocessing.cpu_count())
threads = 4
worker_class = "gthread"
accesslog = None  # the app logs route patterns itself, never the URLs people type
errorlog = "-"

# Proxy headers (X-Forwarded-Proto and the like) are believed only from the addresses in
# FORWARDED_ALLOW_IPS, comma-separated; by default from nobody (gunicorn's own default trusts
# 127.0.0.1, so any local client could claim HTTPS). The app's TRUSTED_PROXY_COUNT does the
# same for Flask (ProxyFix). SCRIPT_NAME and PATH_INFO are never taken from request headers.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "")
forwarder_headers = ""
# Of the scheme headers, only X-Forwarded-Proto (nginx overwrites it on every request). gunicorn's default
# also believes X-Forwarded-Ssl and X-Forwarded-Protocol, which nginx passes through as the client sent them.
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}

# gunicorn 25+ opens a control socket at ~/.gunicorn/gunicorn.ctl (or $XDG_RUNTIME_DIR) by
# default: every gunicorn of the same user takes it over, and a failed start deletes it. Off,
# unless GUNICORN_CONTROL_SOCKET names a path for this app (e.g. instance/gunicorn.ctl).
control_socket_disable = not os.environ.get("GUNICORN_CONTROL_SOCKET")
if not control_socket_disable:
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]


def on_starting(server):
    """Keep client data out of gunicorn's error log, then check the app starts (:func:`check_app_starts`)."""
    from wizard.web.log_filters import NoRequestData, install

    install("gunicorn.error", NoRequestData())  # before any worker is forked: they all inherit it
    check_app_starts(server)


def on_reload(server):
    """`systemctl reload` (SIGHUP), before the new workers start: build the app once again, so the static
    build for new code is written once here and the workers find every file already there. A failure is
    left to the workers to report, as gunicorn would without this."""
    check_app_starts(server, stop_on_failure=False)


def check_app_starts(server, stop_on_failure=True):
    """Build the app once before gunicorn listens or forks a worker, in a child process of its own.

    A bad setting, secret key, content or database is then one message (the ConfigError's) and
    exit status 1, instead of a traceback from every worker and then gunicorn's own. The check runs
    in a forked child so the master keeps nothing of it (no imported app state, no connections):
    each worker builds its app from scratch, as before. Building it also writes the static files
    (wizard/web/static.py), so they are written here, once, and each worker finds them there.
    """
    if server.cfg.preload_app:
        return
    child = os.fork()
    if child == 0:
        status = 0
        try:
            from wizard.settings import ConfigError

            try:
                server.app.load()
            except ConfigError as error:
                print(f"Error: {error}", file=sys.stderr, flush=True)
                status = 1
        except BaseException:  # anything else: its traceback, once
            import traceback

            traceback.print_exc()
            status = 2
        finally:
            sys.stderr.flush()
            os._exit(status)
    _, status = os.waitpid(child, 0)
    if os.waitstatus_to_exitcode(status) != 0 and stop_on_failure:
        sys.exit(1)
