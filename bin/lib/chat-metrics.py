"""The server's own figures for POST /v1/chat next to wrk's (bin/bench-http).

Arguments: the /metrics scrape before the measured run, the one after, wrk's output, wrk's connection count.
Both scrapes are taken once the server has nothing in flight, so their difference is what the server answered
during the run. It should equal wrk's count plus the requests wrk gave up on: those in flight when it stopped (at
most one per connection) and those it timed out (wrk counts neither; the server counts each once it has answered
it). The histogram gives the server-side p50/p99 as bucket bounds (the time inside the gateway; wrk's adds the
network and the client's queueing).
"""
import re
import sys

SAMPLE = re.compile(r'^(\w+)\{([^}]*)\} (\S+)$')


def scrape(path):
    """The lines of one /metrics scrape; none when it could not be taken."""
    try:
        return open(path).read().splitlines()
    except OSError:
        return []


def chat(path):
    """Counts by status, and the latency buckets (le -> cumulative count), of POST /v1/chat in one scrape."""
    statuses, buckets, total = {}, {}, 0.0
    for line in scrape(path):
        m = SAMPLE.match(line)
        if not m:
            continue
        name, labels, value = m.group(1), dict(re.findall(r'(\w+)="([^"]*)"', m.group(2))), float(m.group(3))
        if labels.get('endpoint') != '/v1/chat' or labels.get('method') != 'POST':
            continue
        if name == 'orbit_http_requests_total':
            statuses[labels['status']] = statuses.get(labels['status'], 0) + value
        elif name == 'orbit_http_request_duration_seconds_bucket':
            buckets[labels['le']] = value
        elif name == 'orbit_http_request_duration_seconds_count':
            total = value
    return statuses, buckets, total


def jvm(path):
    """Bytes allocated, and collections with their total pause, since the JVM started (JvmGcMetrics' meters)."""
    allocated = collections = paused = 0.0
    for line in scrape(path):
        if line.startswith('#') or ' ' not in line:
            continue
        fields = line.rsplit(' ', 1)  # label values may hold spaces
        name = fields[0].split('{')[0]
        if name == 'jvm_gc_memory_allocated_bytes_total':
            allocated += float(fields[1])
        elif name == 'jvm_gc_pause_seconds_count':
            collections += float(fields[1])
        elif name == 'jvm_gc_pause_seconds_sum':
            paused += float(fields[1])
    return allocated, collections, paused


def totals(path, names, operation=None):
    """Each name's sum over its samples in one scrape (of one database operation's samples, when given)."""
    out = dict.fromkeys(names, 0.0)
    for line in scrape(path):
        m = SAMPLE.match(line)
        if m and m.group(1) in out and (operation is None or f'operation="{operation}"' in m.group(2)):
            out[m.group(1)] += float(m.group(3))
    return out


def quantile(buckets, count, q):
    """The upper bound of the bucket holding the q-quantile, in ms (what a histogram can say)."""
    for le, cumulative in sorted(((float(k), v) for k, v in buckets.items()), key=lambda kv: kv[0]):
        if cumulative >= q * count:
            return '> 60000' if le == float('inf') else f'<= {le * 1000:g}'
    return '?'


before, after, wrk_out, connections = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
s0, b0, n0 = chat(before)
s1, b1, n1 = chat(after)
if not s1:
    print('== server metrics: none scraped (is /metrics on?)')
    sys.exit(0)
counted = {k: v - s0.get(k, 0) for k, v in s1.items() if v - s0.get(k, 0)}
server = sum(counted.values())
histogram = n1 - n0
delta = {le: v - b0.get(le, 0) for le, v in b1.items()}
wrk_text = open(wrk_out).read()
wrk_requests = int(re.search(r'(\d+) requests in', wrk_text).group(1))
timeouts = re.search(r'timeout (\d+)', wrk_text)
abandoned = connections + (int(timeouts.group(1)) if timeouts else 0)
wrk_p = {p: re.search(rf'^\s+{p}%\s+(\S+)', wrk_text, re.MULTILINE).group(1) for p in ('50', '99')}
print(f'== server /metrics for POST /v1/chat during the run: {server:.0f} requests'
      f' ({", ".join(f"{int(v)} x {k}" for k, v in sorted(counted.items()))}), histogram count {histogram:.0f};'
      f' wrk: {wrk_requests}; difference {server - wrk_requests:+.0f}'
      f' ({"within" if 0 <= server - wrk_requests <= abandoned else "OUTSIDE"} the {abandoned} wrk left in flight'
      f' or timed out)')
print(f'== server latency from its histogram: p50 {quantile(delta, histogram, 0.5)} ms,'
      f' p99 {quantile(delta, histogram, 0.99)} ms; wrk: p50 {wrk_p["50"]}, p99 {wrk_p["99"]}')
a0, c0, p0 = jvm(before)
a1, c1, p1 = jvm(after)
if server:
    # Counted by the collector at each collection: the run's first and last young generation are a partial count.
    print(f'== JVM during the run: {(a1 - a0) / server / 1024:.0f} KiB allocated per request, {c1 - c0:.0f} collections'
          f' pausing {1000 * (p1 - p0):.0f} ms in all ({1e6 * (p1 - p0) / server:.1f} us per request)')

# The single writer of SQLite: the share of the run it held its write transaction (near 100%, every write queues
# behind it), its group commits, and the atomic units (a chat turn's store is one) with the time each took, queueing
# for the writer included.
WRITER = ('orbit_sqlite_writer_busy_seconds_total', 'orbit_sqlite_writer_commits_total',
          'orbit_sqlite_writer_writes_total', 'orbit_sqlite_wal_resets_total', 'orbit_sqlite_wal_reset_seconds_total')
UNITS = ('orbit_db_operation_duration_seconds_count', 'orbit_db_operation_duration_seconds_sum',
         'orbit_db_operation_errors_total')
w0, w1 = totals(before, WRITER), totals(after, WRITER)
u0, u1 = totals(before, UNITS, 'transaction'), totals(after, UNITS, 'transaction')
duration = re.search(r'requests in ([\d.]+)(ms|s|m|h)\b', wrk_text)  # wrk: 20.01s, 1.00m, ...
seconds = float(duration.group(1)) * {'ms': 0.001, 's': 1, 'm': 60, 'h': 3600}[duration.group(2)]
w, u = {k: w1[k] - w0[k] for k in WRITER}, {k: u1[k] - u0[k] for k in UNITS}
commits, units = w['orbit_sqlite_writer_commits_total'], u['orbit_db_operation_duration_seconds_count']
if commits:
    line = (f'== SQLite writer during the run: busy {100 * w["orbit_sqlite_writer_busy_seconds_total"] / seconds:.0f}%'
            f' of it, {commits:.0f} commits of {w["orbit_sqlite_writer_writes_total"] / commits:.1f} writes')
    resets = w['orbit_sqlite_wal_resets_total']
    if resets:
        line += (f', {resets:.0f} WAL resets holding it'
                 f' {1000 * w["orbit_sqlite_wal_reset_seconds_total"] / resets:.1f} ms each')
    if units:
        line += (f'; atomic units {1000 * u["orbit_db_operation_duration_seconds_sum"] / units:.1f} ms mean with the'
                 f' wait, {u["orbit_db_operation_errors_total"]:.0f} of {units:.0f} failed')
    print(line)
