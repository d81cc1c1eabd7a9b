# Loopback ports for the project's own servers (sourced by cluster.sh and demo.sh).
#
# A port picked by binding port 0 comes from the kernel's ephemeral range, the same range every
# outgoing connection takes its local port from: between "picked" and "bound by the component"
# another connection may take it. So ports are picked BELOW that range
# (net.ipv4.ip_local_port_range), where only listeners live, and checked free by binding them.
# Two launchers picking at once can still choose the same port; cluster.sh retries a start whose
# component lost its port (docs/testing.md "Ports").
#
# Who picks where (below the default ephemeral start, 32768): the test JVMs' claimed ports
# 10000-19999 (LoopbackPorts), demo.sh 20000-23999, cluster.sh 24000 up to the ephemeral range.
#
#   loopback_ports COUNT FIRST [LAST]   prints COUNT distinct free ports, one per line, chosen at
#                                       random from FIRST to LAST (default: the port before the
#                                       ephemeral range)
loopback_ports() {
  local count=$1 first=$2 last=${3:-0}
  python3 - "$count" "$first" "$last" <<'PY'
import random, socket, sys

count, first, last = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
try:
    with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
        ephemeral_low = int(f.read().split()[0])
except OSError:
    ephemeral_low = 32768
if last == 0 or last >= ephemeral_low:
    last = ephemeral_low - 1
if last - first < 100:
    # An unusual kernel setting: fall back to the ports above the ephemeral range.
    first, last = 61000, 65000
chosen = []
while len(chosen) < count:
    port = random.randint(first, last)
    if port in chosen:
        continue
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        continue
    finally:
        s.close()
    chosen.append(port)
print("\n".join(map(str, chosen)))
PY
}
