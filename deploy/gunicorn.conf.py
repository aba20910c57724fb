"""gunicorn settings for Kontum Posts (used by deploy/kontum-posts.service and by the scale-out test).

Every value can be overridden from the environment, so the same file serves one small VM or
several app servers behind one nginx.
"""

import multiprocessing
import os

wsgi_app = "kontum_posts.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# PDF reports are the slow requests; nginx's proxy_read_timeout matches this.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak (e.g. in a PDF renderer) never grows for weeks.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = 100
# nginx on the same host is the only client allowed to set X-Forwarded-*.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Never log the query string: it can carry names searched for.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss'
proc_name = "kontum-posts"
