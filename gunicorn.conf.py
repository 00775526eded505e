"""gunicorn settings for `make run` (and the browser tests and benchmarks)."""
import multiprocessing

workers = max(2, multiprocessing.cpu_count())
threads = 4
worker_class = "gthread"
accesslog = None  # the app logs route patterns itself, never the URLs people type
errorlog = "-"
