#!/usr/bin/env bash
# Measures how long the sample app takes to answer while its Redis is stopped or frozen, and the first request
# after Redis came back: the fault table of issue 11, reproducible.
#
# Usage (from the repository root, after `./mvnw -q -pl sample-app -am package -DskipTests`):
#   bash benchmarks/resilience/fault-table.sh
# It starts a private redis-server on a free loopback port (the one on the PATH, else the binary that
# redis-starter-test unpacks to /tmp/redis-starter-test), the sample jar against it on a free port, and stops both.
set -euo pipefail
cd "$(dirname "$0")/../.."

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
redis_bin=$(command -v redis-server || ls /tmp/redis-starter-test/redis-server-* 2>/dev/null | head -1)
[ -x "$redis_bin" ] || { echo "no redis-server: run the tests once, or install redis-server"; exit 1; }
jar=$(ls sample-app/target/sample-app-*.jar | grep -v plain | head -1)
work=$(mktemp -d)
redis_port=$(free_port)
app_port=$(free_port)

start_redis() { "$redis_bin" --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" --daemonize no >"$work/redis.log" 2>&1 & redis_pid=$!; sleep 0.5; }
stop_redis() { kill "$redis_pid" 2>/dev/null || true; wait "$redis_pid" 2>/dev/null || true; }
cleanup() { stop_redis; kill "$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

start_redis
java -jar "$jar" --server.port="$app_port" --spring.data.redis.url="redis://127.0.0.1:$redis_port" >"$work/app.log" 2>&1 &
app_pid=$!
for _ in $(seq 1 120); do curl -fs "localhost:$app_port/actuator/health" >/dev/null 2>&1 && break; sleep 0.5; done

base="http://localhost:$app_port"
timed() { # method path [body]
  local out
  if [ $# -gt 2 ]; then
    out=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -X "$1" -H 'Content-Type: application/json' -d "$3" --max-time 90 "$base$2" || echo "timeout 90")
  else
    out=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -X "$1" --max-time 90 "$base$2" || echo "timeout 90")
  fi
  echo "$out"
}
warm() {
  timed GET /api/products/3 >/dev/null; timed GET /api/products/3 >/dev/null
  timed PUT /api/inventory/sku1 '{"stock": 1000}' >/dev/null
  timed POST /api/leaderboards/g/scores '{"member": "ada", "score": 1}' >/dev/null
}
row() { # label
  printf '| %s | %s | %s | %s | %s | %s |\n' "$1" \
    "$(timed GET /api/products/3)" "$(timed GET /api/limited)" "$(timed POST /api/inventory/sku1/reserve)" \
    "$(timed POST /api/leaderboards/g/scores '{"member": "ada", "score": 3}')" "$(timed GET /actuator/health)"
}

echo "| Redis | GET /api/products/3 | GET /api/limited | POST reserve | POST score | GET /actuator/health |"
echo "| --- | --- | --- | --- | --- | --- |"
warm
row "up"
stop_redis
row "stopped (first calls)"
row "stopped (circuit open)"
start_redis
start=$(date +%s.%N)
first=$(timed GET /api/products/3)
echo "first request after Redis came back: $first"
# The restarted server is empty: "working" means health UP and no endpoint answering 503.
for _ in $(seq 1 200); do
  [ "$(timed GET /actuator/health | cut -d' ' -f1)" = 200 ] \
    && [ "$(timed POST /api/inventory/sku1/reserve | cut -d' ' -f1)" != 503 ] \
    && [ "$(timed POST /api/leaderboards/g/scores '{"member": "ada", "score": 3}' | cut -d' ' -f1)" = 200 ] && break
  sleep 0.05
done
echo "every endpoint working again after: $(python3 -c "import time; print(round(time.time() - $start, 2))") s"
warm
python3 -c "import socket; s=socket.create_connection(('127.0.0.1', $redis_port)); s.sendall(b'CLIENT PAUSE 20000 ALL\r\n'); print(s.recv(100).decode().strip())"
row "frozen (CLIENT PAUSE 20000 ALL, first calls)"
row "frozen (circuit open)"
