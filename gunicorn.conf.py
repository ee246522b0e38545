"""gunicorn settings for noghost in production: `gunicorn crm.wsgi --config gunicorn.conf.py`.

Read from the environment (deploy/noghost.env.example), so one file serves every machine.
Sync workers suit noghost: each request is a few short queries, and nothing streams or waits on
the network; add workers, not threads, to use more cores (2 per core plus 1 is the usual start).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# A request that takes longer than this is a bug or a stuck database: kill it, log it, move on.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30  # on SIGTERM (a deploy), in-flight requests get this long to finish
keepalive = 5  # behind a local proxy that reuses connections
# Recycle each worker now and then (staggered) so slow memory growth never builds up.
max_requests = 2000
max_requests_jitter = 200
# Trust X-Forwarded-* only from the local proxy in front (nginx, Caddy on the same machine).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None  # "-" = stdout, i.e. the journal
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "noghost-web"
