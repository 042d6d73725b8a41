#!/usr/bin/env bash
# Repeats the measurements of issue 22 (security and abuse) on the sample app's jar against private redis-servers,
# one line per measurement: "<id> PASS|FAIL|OBSERVED <what> :: <observed> (before: <the issue's number>)".
#
# Usage (from the repository root, after `./mvnw -q -pl sample-app -am package -DskipTests`):
#   bash benchmarks/security/measure.sh            # every section, a to g (about 6 minutes)
#   bash benchmarks/security/measure.sh b d        # some sections
#   KEEP_LOGS=1 bash benchmarks/security/measure.sh   # keep the application and Redis logs (their directory is printed)
#
# Needs: java 17+, redis-server and redis-cli 7 on the PATH (TLS built in, as Debian's), openssl, curl, python3.
# Every redis-server and application it starts listens on 127.0.0.1 on a free port and is stopped by this script,
# by its process id, when it ends (also on Ctrl-C).
#
# Sections:
#   a  untrusted input: 10 x 10 MB session data, a 10 MB leaderboard member, 4,000-character and 10 MB user ids
#   b  credentials and TLS: wrong password, no credentials, untrusted certificate, URL with separate credentials
#   c  permissions: ACL user without channels, NOPERM keys, eviction-policy-check=fail (CONFIG refused, allkeys-lru)
#   d  the sample's inventory (its own commands) with Redis frozen, stopped, and after a 20 s outage
#   e  50 clients on one product while Redis is down: loader calls against requests
#   f  recovery: from the restart to the first 200 and to health UP
#   g  Redis 500 ms away: what answers, how often the circuit opens in 30 s
set -uo pipefail
cd "$(dirname "$0")/../.."
here=benchmarks/security
sections=${*:-a b c d e f g}

jar=$(ls sample-app/target/sample-app-*.jar 2>/dev/null | grep -v plain | head -1)
[ -n "$jar" ] || { echo "no sample-app jar: run ./mvnw -q -pl sample-app -am package -DskipTests first"; exit 1; }
command -v redis-server >/dev/null || { echo "redis-server is not on the PATH"; exit 1; }
work=$(mktemp -d /tmp/security-measure.XXXXXX)
java_opts=${JAVA_OPTS:--Xmx1g}
declare -A redis_pid=() redis_port=() app_pid=() app_port=()

# ---------------------------------------------------------------------------------------------------------------
# Processes: each started here, remembered by name, stopped by its pid.

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
now() { date +%s.%N; }
seconds_since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

# start_redis NAME [redis-server arguments...]   (port: redis_port[NAME], chosen here unless the arguments set --port)
start_redis() {
  local name=$1; shift
  [ -n "${redis_port[$name]:-}" ] || redis_port[$name]=$(free_port)
  redis-server --port "${redis_port[$name]}" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" \
    --daemonize no --loglevel verbose "$@" >>"$work/redis-$name.log" 2>&1 &
  redis_pid[$name]=$!
  for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/${redis_port[$name]}") 2>/dev/null && return 0; sleep 0.05; done
  echo "redis $name did not start: $(tail -3 "$work/redis-$name.log")"
}
stop_redis() { # NAME
  local pid=${redis_pid[$1]:-}
  [ -n "$pid" ] || return 0
  kill -CONT "$pid" 2>/dev/null; kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  redis_pid[$1]=""
}
freeze_redis() { kill -STOP "${redis_pid[$1]}"; }
thaw_redis() { kill -CONT "${redis_pid[$1]}"; }

# start_app NAME [application arguments...]: returns once /actuator/health answers (any status) or the JVM exited.
start_app() {
  local name=$1; shift
  app_port[$name]=$(free_port)
  # shellcheck disable=SC2086
  java $java_opts -jar "$jar" --server.port="${app_port[$name]}" "$@" >"$work/app-$name.log" 2>&1 &
  app_pid[$name]=$!
  for _ in $(seq 1 240); do
    kill -0 "${app_pid[$name]}" 2>/dev/null || return 0
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "localhost:${app_port[$name]}/actuator/health")" != 000 ] && return 0
    sleep 0.5
  done
}
stop_app() { # NAME
  local pid=${app_pid[$1]:-}
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  app_pid[$1]=""
}
cleanup() {
  local name
  for name in "${!app_pid[@]}"; do stop_app "$name"; done
  for name in "${!redis_pid[@]}"; do stop_redis "$name"; done
  [ -n "${proxy_pid:-}" ] && { kill "$proxy_pid" 2>/dev/null; wait "$proxy_pid" 2>/dev/null; }
  if [ -n "${KEEP_LOGS:-}" ]; then echo "logs kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------------------------
# HTTP and Redis helpers.

# call APP METHOD PATH [BODY | @FILE]: prints "<status> <seconds>"; the body of the answer is left in $work/body.
call() {
  local app=$1 method=$2 path=$3
  local args=(-s -o "$work/body" -w '%{http_code} %{time_total}' -X "$method" --max-time 90)
  [ $# -gt 3 ] && args+=(-H 'Content-Type: application/json' --data-binary "$4")
  curl "${args[@]}" "http://localhost:${app_port[$app]}$path" || true
}
status_of() { call "$@" | cut -d' ' -f1; }
body() { head -c "${1:-300}" "$work/body" | tr '\n' ' '; }
# health APP: the status and the redis component's details, compact and without the server checks' noise.
health() {
  curl -s --max-time 10 "http://localhost:${app_port[$1]}/actuator/health" | python3 -c '
import json, sys
try:
    h = json.load(sys.stdin)
except ValueError:
    print("(no JSON)"); sys.exit()
r = h.get("components", {}).get("redis", {})
d = {k: v for k, v in r.get("details", {}).items() if k in ("failure", "circuit", "circuitOpenings", "lastFailure", "permissionRefusals", "problems", "maxmemoryPolicy")}
others = {k: v.get("status") for k, v in h.get("components", {}).items() if k != "redis" and v.get("status") != "UP"}
print("status=%s redis=%s %s%s" % (h.get("status"), r.get("status"), json.dumps(d)[:600],
      " other components not UP: %s" % others if others else ""))'
}
# metric APP NAME [TAG]: the COUNT (or VALUE) of an Actuator meter, 0 when it does not exist yet.
metric() {
  local query=${3:+?tag=$3}
  curl -s --max-time 10 "http://localhost:${app_port[$1]}/actuator/metrics/$2$query" | python3 -c '
import json, sys
try:
    m = {x["statistic"]: x["value"] for x in json.load(sys.stdin)["measurements"]}
    print(int(m.get("COUNT", m.get("VALUE", 0))))
except (ValueError, KeyError):
    print(0)'
}
# rcli NAME [redis-cli arguments...]: as the default user (REDIS_AUTH=password when it has one).
rcli() { local name=$1; shift; redis-cli -p "${redis_port[$name]}" ${REDIS_AUTH:+-a "$REDIS_AUTH" --no-auth-warning} "$@"; }
info_field() { rcli "$1" INFO "$2" | tr -d '\r' | sed -n "s/^$3://p"; }
log_of() { echo "$work/app-$1.log"; }
# accepted REDIS: connections the server accepted so far (its verbose log has a line for each, TLS or not).
accepted() { grep -c ' - Accepted ' "$work/redis-$1.log"; }
# log_lines APP: log entries so far, less DEBUG ones (a stack trace is part of its entry).
log_lines() { grep -E '^[0-9]{4}-[0-9]{2}-' "$(log_of "$1")" | grep -vc ' DEBUG '; }
# first_line APP PATTERN: the first matching log line, shortened.
first_line() { grep -m1 -E "$2" "$(log_of "$1")" | sed -E 's/^[0-9T:.+Z-]+ +([A-Z]+) +[0-9]+ --- \[sample\] /\1 /' | cut -c1-420; }
count_lines() { grep -cE "$2" "$(log_of "$1")"; }
section() { echo; echo "## $1"; echo; }
verdict() { if eval "$1"; then echo PASS; else echo FAIL; fi; }
# within LIMIT TEXT: whether every "<status> <seconds>" in TEXT took at most LIMIT seconds.
within() { echo "$2" | grep -oE '[0-9]{3} [0-9]+\.[0-9]+' | awk -v limit="$1" '$2 > limit { late = 1 } END { exit late }'; }

main_app() { # the plain Redis 'main' and the app 'main' against it, shared by sections a, d, e and f
  [ -n "${app_pid[main]:-}" ] && return 0
  start_redis main
  start_app main --spring.data.redis.host=127.0.0.1 --spring.data.redis.port="${redis_port[main]}"
}
wait_health_up() { # APP SECONDS
  for _ in $(seq 1 $(($2 * 10))); do [ "$(status_of "$1" GET /actuator/health)" = 200 ] && return 0; sleep 0.1; done
  return 1
}

# ---------------------------------------------------------------------------------------------------------------
section_a() {
  section "a. Untrusted input cannot fill Redis"
  main_app
  local q64 log_before mem_before mem_after started statuses i code elapsed
  q64=$(printf 'Q%.0s' $(seq 1 64))
  python3 - "$work" <<'EOF'
import json, sys
big = "Q" * (10 * 1024 * 1024)
files = {"session-10mb": {"userId": "anon", "data": {"blob": big}},
         "member-10mb": {"member": big, "score": 1},
         "userid-4000": {"userId": "Q" * 4000, "data": {"theme": "dark"}},
         "userid-10mb": {"userId": big, "data": {"theme": "dark"}}}
for name, value in files.items():
    with open("%s/%s.json" % (sys.argv[1], name), "w") as f:
        json.dump(value, f)
EOF
  log_before=$(stat -c %s "$(log_of main)")
  mem_before=$(info_field main memory used_memory)
  started=$(now); statuses=""
  for i in $(seq 1 10); do statuses+="$(status_of main POST /api/sessions "@$work/session-10mb.json") "; done
  elapsed=$(seconds_since "$started")
  mem_after=$(info_field main memory used_memory)
  local grown=$(( (mem_after - mem_before) / 1024 ))
  echo "a1 $(verdict "[ \"$statuses\" = \"$(printf '413 %.0s' $(seq 1 10))\" ] && [ $grown -lt 1024 ] && ! grep -q $q64 $work/body") 10 anonymous POST /api/sessions with 10 MB data ::" \
    "statuses $statuses in $elapsed s; used_memory $mem_before -> $mem_after ($grown KB); problem: $(body 260)" \
    "(before: 201s, +138 MB in 1.45 s, each kept 30 min)"
  code=$(status_of main POST /api/leaderboards/abuse/scores "@$work/member-10mb.json")
  local problem members; problem=$(body 260); members=$(rcli main ZCARD 'sample:lb:{abuse}')
  echo "a2 $(verdict "[[ $code = 4[01][03] ]] && [ $members = 0 ] && ! grep -q $q64 $work/body") POST a 10 MB leaderboard member ::" \
    "status $code; members on the board: $members; problem: $problem (before: stored without expiry, returned in every" \
    "top list) (the README says 413; DESIGN.md allows 413 or 400)"
  for size in 4000 10mb; do # characters
    code=$(status_of main POST /api/sessions "@$work/userid-$size.json")
    echo "a3 $(verdict "[ $code = 413 ] && ! grep -q $q64 $work/body") POST /api/sessions with a user id of $size characters :: status $code; problem: $(body 260)" \
      "(before: 500, the message carrying the whole id)"
  done
  local log_after grown_log hits
  log_after=$(stat -c %s "$(log_of main)")
  grown_log=$((log_after - log_before))
  hits=$(grep -c "$q64" "$(log_of main)")
  echo "a4 $(verdict "[ $hits = 0 ] && [ $grown_log -lt 65536 ]") the values are not logged :: log $log_before -> $log_after bytes" \
    "(+$grown_log); lines holding 64 Qs of a value: $hits (before: a 10 MB id wrote two 10 MB log lines)"
  echo "   what section a logged:"
  tail -c "$grown_log" "$(log_of main)" | cut -c1-300 | sed 's/^/     | /' | head -12
}

# ---------------------------------------------------------------------------------------------------------------
# credential_case ID REDIS_NAME WHAT PATTERN BEFORE [application arguments...]: starts the app, watches it idle for 20 s,
# counting the connections Redis accepted and the log lines written, then shows the named line and health.
credential_case() { # (KEEP_APP=1: leave the app running)
  local id=$1 redis=$2 what=$3 pattern=$4 before=$5; shift 5
  # Lettuce's DEBUG line "Connecting to Redis at" names the thread of each attempt (not counted as log lines below;
  # the second such line of each attempt, on an event-loop thread with "initialization:", is left out).
  start_app "$id" "$@" --logging.level.io.lettuce.core.AbstractRedisClient=DEBUG
  local conns_before lines_before conns_after lines_after named attempts_before
  conns_before=$(accepted "$redis")
  lines_before=$(log_lines "$id")
  attempts_before=$(grep 'Connecting to Redis at' "$(log_of "$id")" | grep -vc 'initialization:')
  sleep 20
  conns_after=$(accepted "$redis")
  lines_after=$(log_lines "$id")
  named=$(first_line "$id" "$pattern")
  local attempts=$((conns_after - conns_before))
  echo "$id $(verdict "[ -n \"\$named\" ] && [ $attempts -lt 20 ]") $what ::" \
    "log: ${named:-(no line matching /$pattern/)}"
  echo "   health: $(health "$id")"
  echo "   over 20 s idle: $attempts connections accepted by Redis, $((lines_after - lines_before)) log lines" \
    "($(count_lines "$id" "$pattern") matching lines in the whole log) (before: $before)"
  echo "   connection attempts in those 20 s by thread (Lettuce DEBUG 'Connecting to Redis at'):" \
    "$(grep 'Connecting to Redis at' "$(log_of "$id")" | grep -v 'initialization:' | tail -n +$((attempts_before + 1)) \
       | sed -E 's/.*\[sample\] \[ *([^]]*)\].*/\1/' | sort | uniq -c | sort -rn | awk '{ printf "%s x%s; ", $2, $1 }')"
  echo "   other WARN/ERROR lines in the whole log: $(grep -E ' (WARN|ERROR) ' "$(log_of "$id")" | grep -vE "$pattern" \
       | sed -E 's/^.*\] [^ ]+ +: //' | cut -c1-110 | sort | uniq -c | sort -rn | head -4 | awk '{ $1 = $1 "x"; print }' | tr '\n' ';')"
  [ -n "${KEEP_APP:-}" ] || stop_app "$id"
}

make_certificates() { # a CA and a server certificate for 127.0.0.1 signed by it, and another CA that did not sign it
  local dir=$work/tls
  mkdir -p "$dir"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj '/CN=measure-ca' -keyout "$dir/ca.key" -out "$dir/ca.crt" 2>/dev/null
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj '/CN=other-ca' -keyout "$dir/other-ca.key" -out "$dir/other-ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj '/CN=127.0.0.1' -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$dir/san.ext"
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial -days 2 \
    -extfile "$dir/san.ext" -out "$dir/server.crt" 2>/dev/null
}

section_b() {
  section "b. Credentials and TLS fail as what they are"
  local auth_line='refuses the starter.s credentials'
  REDIS_AUTH=s3cret start_redis auth --requirepass s3cret
  local host=(--spring.data.redis.host=127.0.0.1 --spring.data.redis.port="${redis_port[auth]}")
  KEEP_APP=1 REDIS_AUTH=s3cret credential_case b1 auth "wrong password" "$auth_line" \
    'logged "unreachable (Unable to connect)", retried every second for ever' "${host[@]}" --spring.data.redis.password=wrong
  # b1-heal: the server is given the password the app has (the app is still running from b1): how long until UP.
  REDIS_AUTH=s3cret rcli auth CONFIG SET requirepass wrong >/dev/null
  local healed_at started; started=$(now)
  wait_health_up b1 45 && healed_at=$(seconds_since "$started")
  echo "b1-heal $(verdict "[ -n \"${healed_at:-}\" ]") CONFIG SET requirepass to the app's password while it runs :: health UP after" \
    "${healed_at:-more than 45} s (README: within 30 s, the next attempt); $(health b1)"
  stop_app b1
  REDIS_AUTH=wrong rcli auth CONFIG SET requirepass s3cret >/dev/null
  REDIS_AUTH=s3cret credential_case b2 auth "no credentials, server with requirepass" "$auth_line" \
    'logged "unreachable (Unable to connect)", retried every second for ever' "${host[@]}"

  make_certificates
  local tls_port; tls_port=$(free_port)
  start_redis tls --tls-port "$tls_port" --tls-cert-file "$work/tls/server.crt" --tls-key-file "$work/tls/server.key" \
    --tls-ca-cert-file "$work/tls/ca.crt" --tls-auth-clients no
  local tls=(--spring.data.redis.host=127.0.0.1 --spring.data.redis.port="$tls_port" --spring.data.redis.ssl.enabled=true
    --spring.data.redis.ssl.bundle=redis)
  credential_case b3 tls "TLS server whose CA the app's truststore does not hold" 'TLS handshake with Redis' \
    'logged "unreachable (Unable to connect)", retried every second for ever' "${tls[@]}" \
    --spring.ssl.bundle.pem.redis.truststore.certificate="file:$work/tls/other-ca.crt"
  start_app b3-control "${tls[@]}" --spring.ssl.bundle.pem.redis.truststore.certificate="file:$work/tls/ca.crt"
  wait_health_up b3-control 10
  echo "b3-control $(verdict "[ \"\$(status_of b3-control GET /actuator/health)\" = 200 ]") the same server with the right CA" \
    ":: health: $(health b3-control)"
  stop_app b3-control
  stop_redis tls

  # A server whose default user needs a password and an ACL user 'app': the URL carries neither, the properties both.
  REDIS_AUTH=s3cret rcli auth ACL SETUSER app on '>apppw' '~*' '&*' +@all >/dev/null
  REDIS_AUTH=s3cret credential_case b4 auth "spring.data.redis.url plus spring.data.redis.username/password" \
    'spring.data.redis.url is set, so Spring Boot ignores' 'connected without them, everything 503, no hint why' \
    --spring.data.redis.url="redis://127.0.0.1:${redis_port[auth]}" --spring.data.redis.username=app \
    --spring.data.redis.password=apppw
  echo "   b4 also: $(first_line b4 "$auth_line" | cut -c1-200)"
  stop_redis auth
}

# ---------------------------------------------------------------------------------------------------------------
# concurrent_reserves APP SKU: 8 reserves at once; prints "status seconds" of each, fastest first.
concurrent_reserves() {
  { for _ in $(seq 1 8); do (echo "$(call "$1" POST "/api/inventory/$2/reserve")") & done; wait; } | sort -k2 -n | paste -sd,
}

section_c() {
  section "c. Permissions: a refusal is not an outage"
  start_redis acl
  # The README's recipe for the prefix sample: (spring.application.name=sample), and variants of it.
  local recipe=(on '>pw' resetkeys '~sample:*' resetchannels '&sample:*' -@all +@connection +@read +@write +@pubsub +eval +evalsha +time -@dangerous)
  rcli acl ACL SETUSER nochannels "${recipe[@]}" resetchannels >/dev/null
  rcli acl ACL SETUSER nochannels +info '+config|get' >/dev/null
  rcli acl ACL SETUSER otherkeys "${recipe[@]}" resetkeys '~other:*' >/dev/null
  rcli acl ACL SETUSER otherkeys +info '+config|get' >/dev/null
  rcli acl ACL SETUSER noconfig "${recipe[@]}" >/dev/null
  local host=(--spring.data.redis.host=127.0.0.1 --spring.data.redis.port="${redis_port[acl]}" --spring.data.redis.password=pw)

  # c0: the recipe itself (with the optional +info +config|get), for comparison.
  rcli acl ACL SETUSER recipe "${recipe[@]}" >/dev/null
  rcli acl ACL SETUSER recipe +info '+config|get' >/dev/null
  start_app c0 "${host[@]}" --spring.data.redis.username=recipe
  sleep 3
  local put reserves stock
  put=$(call c0 PUT /api/products/3 '{"name":"Kettle","category":"kitchen","price":24.5}')
  call c0 PUT /api/inventory/sku0 '{"stock": 100}' >/dev/null
  reserves=$(concurrent_reserves c0 sku0)
  stock=$(call c0 GET /api/inventory/sku0 >/dev/null; body 100)
  echo "c0 $(verdict "health c0 | grep -q 'status=UP' && [ \"\$(rcli acl ACL LOG)\" = '' ]") the README's ACL recipe for sample: ::" \
    "health: $(health c0); ACL LOG entries: $(rcli acl ACL LOG | grep -c '^reason$' || true); PUT /api/products/3: $put;" \
    "8 concurrent reserves (status seconds): $reserves; stock then: $stock"
  stop_app c0
  rcli acl ACL LOG RESET >/dev/null

  start_app c1 "${host[@]}" --spring.data.redis.username=nochannels
  sleep 3
  put=$(call c1 PUT /api/products/3 '{"name":"Kettle","category":"kitchen","price":24.5}')
  call c1 PUT /api/inventory/sku1 '{"stock": 100}' >/dev/null
  local after_put; after_put=$(call c1 GET /api/products/3 >/dev/null; body 80)
  reserves=$(concurrent_reserves c1 sku1)
  stock=$(call c1 GET /api/inventory/sku1 >/dev/null; body 100)
  local max; max=$(echo "$reserves" | tr ',' '\n' | sort -k2 -n | tail -1)
  local sub_line; sub_line=$(first_line c1 'refused the starter.s subscription')
  echo "c1 $(verdict "[ -n \"\$sub_line\" ] && health c1 | grep -q 'status=DOWN'") ACL user without channels (recipe minus &sample:*) ::" \
    "log: ${sub_line:-(no subscription refusal logged)}"
  echo "   health: $(health c1)"
  echo "   subscription refusals logged: $(count_lines c1 'refused the starter.s subscription'); PUT /api/products/3 (tag invalidation): $put, then GET /api/products/3: $after_put;" \
    "8 concurrent reserves (status seconds): $reserves (slowest $max), stock then: $stock; other starter ERROR/WARN lines: $(grep -cE ' (ERROR|WARN) ' "$(log_of c1)")" \
    "(before: health UP, invalidations silently deferred, subscriptions failed without a log line, reserves up to 2.55 s)"
  grep -E ' (ERROR|WARN) ' "$(log_of c1)" | sed -E 's/^[0-9T:.+Z-]+ +([A-Z]+) +[0-9]+ --- \[sample\] /\1 /' | cut -c1-260 | sort | uniq -c | sort -rn | head -6 | sed 's/^/     | /'
  stop_app c1

  start_app c2 "${host[@]}" --spring.data.redis.username=otherkeys
  sleep 2
  local answers="" path
  for path in "GET /api/products/3" "GET /api/limited" "GET /api/limited" "GET /api/limited" "GET /api/inventory/sku1" \
      "POST /api/sessions {\"userId\":\"ann\"}" "POST /api/leaderboards/g/scores {\"member\":\"ada\",\"score\":1}"; do
    # shellcheck disable=SC2086
    answers+="$path: $(set -- $path; call c2 "$1" "$2" ${3:+"$3"}); "
  done
  local perm_line; perm_line=$(first_line c2 'NOPERM|refused the starter')
  echo "c2 $(verdict "! echo \"\$answers\" | grep -qE ' (200|503) ' && health c2 | grep -q 'permission'") user whose key pattern (~other:*) misses the prefix ::" \
    "$answers"
  echo "   log: ${perm_line:-(nothing about permissions)}"
  echo "   health: $(health c2)"
  echo "   permission ERROR lines: $(count_lines c2 ' ERROR .*(NOPERM|refused the starter)'); circuit openings: $(metric c2 redis.starter.circuit.openings)" \
    "(before: 503s, rate limiter failed open, cache bypassed, health UP)"
  stop_app c2

  # c3 as in the issue: a server with allkeys-lru, and a user that may not read it.
  rcli acl CONFIG SET maxmemory-policy allkeys-lru >/dev/null
  start_app c3 "${host[@]}" --spring.data.redis.username=noconfig --redis.starter.resilience.eviction-policy-check=fail
  sleep 1
  local alive=running; kill -0 "${app_pid[c3]}" 2>/dev/null || alive=exited
  echo "c3 $(verdict "[ $alive = exited ]") eviction-policy-check=fail, allkeys-lru, as a user refused CONFIG :: application $alive;" \
    "log: $(first_line c3 'maxmemory-policy is unknown' || true)"
  grep -A4 -E '^Description:' "$(log_of c3)" | cut -c1-260 | sed 's/^/     | /'
  echo "   (before: started against allkeys-lru, health UP, nothing logged)"
  stop_app c3
  stop_redis acl

  start_redis lru --maxmemory-policy allkeys-lru
  start_app c4 --spring.data.redis.host=127.0.0.1 --spring.data.redis.port="${redis_port[lru]}" --redis.starter.resilience.eviction-policy-check=fail
  sleep 1
  alive=running; kill -0 "${app_pid[c4]}" 2>/dev/null || alive=exited
  echo "c4 $(verdict "[ $alive = exited ]") eviction-policy-check=fail against allkeys-lru (default user) :: application $alive;" \
    "log: $(first_line c4 'APPLICATION FAILED|allkeys-lru' || true)"
  grep -A4 -E '^Description:' "$(log_of c4)" | cut -c1-260 | sed 's/^/     | /'
  [ $alive = running ] && echo "   health: $(health c4)"
  stop_app c4
  stop_redis lru
}

# ---------------------------------------------------------------------------------------------------------------
section_d() {
  section "d. The sample's own commands (inventory) answer within their deadline"
  main_app
  call main PUT /api/inventory/sku1 '{"stock": 1000}' >/dev/null
  echo "d0 OBSERVED Redis up :: GET $(call main GET /api/inventory/sku1); reserve $(call main POST /api/inventory/sku1/reserve)"
  freeze_redis main
  local answers="" i
  for i in 1 2 3 4; do answers+="GET $(call main GET /api/inventory/sku1); "; done
  answers+="reserve $(call main POST /api/inventory/sku1/reserve); PUT $(call main PUT /api/inventory/sku1 '{"stock": 5}')"
  echo "d1 $(verdict "within 1.0 '$answers'")" \
    "Redis frozen (SIGSTOP) :: $answers (before: GET answered after 60.04 s)"
  thaw_redis main
  wait_health_up main 10
  stop_redis main
  answers=""
  for i in 1 2 3; do answers+="GET $(call main GET /api/inventory/sku1); "; done
  answers+="reserve $(call main POST /api/inventory/sku1/reserve)"
  echo "d2 $(verdict "within 1.0 '$answers'")" \
    "Redis stopped :: $answers"
  sleep 20
  start_redis main
  answers="GET $(call main GET /api/inventory/sku1); PUT $(call main PUT /api/inventory/sku1 '{"stock": 1000}'); GET $(call main GET /api/inventory/sku1)"
  echo "d3 $(verdict "within 1.0 '$answers'")" \
    "first requests after a 20 s outage (restarted, empty server: 404 is the answer for an unknown item) :: $answers" \
    "(before: 11.7 s waiting for Lettuce's reconnect back-off, holding the item's lock)"
  local first="" i started; started=$(now)
  for i in $(seq 1 200); do [ "$(status_of main GET /api/inventory/sku1)" != 503 ] && { first=$(seconds_since "$started"); break; }; sleep 0.05; done
  echo "   d3: GET /api/inventory/sku1 answered other than 503 (the circuit closed) ${first:-not within 10} s after those requests"
  wait_health_up main 15
}

# ---------------------------------------------------------------------------------------------------------------
section_e() {
  section "e. 50 clients on one product while Redis is down"
  main_app
  stop_redis main
  call main GET /api/products/7 >/dev/null # the circuit opens on the first calls
  sleep 1
  local loads_before coalesced_before result loads coalesced
  loads_before=$(metric main redis.starter.cache.loads cache:products)
  coalesced_before=$(metric main redis.starter.cache.coalesced cache:products)
  local warns_before; warns_before=$(count_lines main 'Cache read of')
  result=$(python3 "$here/hammer.py" "http://localhost:${app_port[main]}/api/products/7" 50 20)
  local warns=$(( $(count_lines main 'Cache read of') - warns_before ))
  loads=$(( $(metric main redis.starter.cache.loads cache:products) - loads_before ))
  coalesced=$(( $(metric main redis.starter.cache.coalesced cache:products) - coalesced_before ))
  # The sample marks the answer of the request whose thread ran the loader X-Cache: MISS (ProductCatalogue.LOADED);
  # callers that waited for another's load answer HIT. So MISS answers are the database reads.
  local requests=${result#requests=}; requests=${requests%% *}
  local misses=${result#*miss=}; misses=${misses%% *}
  echo "e1 $(verdict "[ $misses -le $((20 * 1000 / 50 + 5)) ] && [ $misses -lt $((requests / 5)) ]") 50 clients for 20 s on GET /api/products/7, Redis stopped ::" \
    "$result; database reads (answers with X-Cache: MISS) $misses for $requests requests; coalesced callers" \
    "(redis.starter.cache.coalesced, cache=products) $coalesced; the meter redis.starter.cache.loads (cache=products) grew by $loads" \
    "(one load at a time takes at least 50 ms, so at most ~400 in 20 s) (before: 22,967 database reads for 23,033 requests)"
  echo "   WARN lines 'Cache read of ... failed, served without the cache' written meanwhile: $warns"
  start_redis main
  wait_health_up main 15
}

# ---------------------------------------------------------------------------------------------------------------
# recovery APP OUTAGE_SECONDS: stops Redis for the outage (with a request a second meanwhile), starts it, and polls
# PUT /api/inventory/sku1 (lock + script, the slowest path back) and /actuator/health every 50 ms.
recovery() {
  local app=$1 outage=$2 i first_200="" first_up="" started
  stop_redis main
  for i in $(seq 1 "$outage"); do call "$app" PUT /api/inventory/sku1 '{"stock": 5}' >/dev/null; sleep 1; done
  start_redis main
  started=$(now)
  for i in $(seq 1 400); do
    [ -z "$first_200" ] && [ "$(status_of "$app" PUT /api/inventory/sku1 '{"stock": 5}')" = 200 ] && first_200=$(seconds_since "$started")
    [ -z "$first_up" ] && [ "$(status_of "$app" GET /actuator/health)" = 200 ] && first_up=$(seconds_since "$started")
    [ -n "$first_200" ] && [ -n "$first_up" ] && break
    sleep 0.05
  done
  echo "$first_200 $first_up"
}

section_f() {
  section "f. Health recovers with the endpoints"
  main_app
  local outage times gap
  for outage in 5 20; do
    times=$(recovery main "$outage")
    gap=$(awk -v a="${times% *}" -v b="${times#* }" 'BEGIN { printf "%.2f", b - a }')
    echo "f-$outage $(verdict "awk -v g=$gap 'BEGIN { exit !(g <= 1.0) }'") after a $outage s outage, from the restart ::" \
      "first 200 of PUT /api/inventory/sku1 after ${times% *} s, /actuator/health 200 (UP) after ${times#* } s (gap $gap s)" \
      "(before: health 503 for 4 to 7 s after every endpoint worked)"
  done
}

# ---------------------------------------------------------------------------------------------------------------
# slow_case ID DESCRIPTION [application arguments...]: the app through the latency proxy; 30 s at 500 ms.
slow_case() {
  local id=$1 what=$2; shift 2
  echo 0 >"$work/latency"
  start_app "$id" --spring.data.redis.host=127.0.0.1 --spring.data.redis.port="$proxy_port" "$@"
  wait_health_up "$id" 10
  call "$id" GET /api/products/3 >/dev/null; call "$id" PUT /api/inventory/sku1 '{"stock": 1000}' >/dev/null
  local openings_before lines_before
  openings_before=$(metric "$id" redis.starter.circuit.openings)
  lines_before=$(count_lines "$id" 'RedisCircuitBreaker .* is unreachable')
  local cache_warns_before; cache_warns_before=$(count_lines "$id" 'Cache read of')
  echo 500 >"$work/latency"
  python3 - "http://localhost:${app_port[$id]}" 30 <<'EOF'
import http.client, sys, time
from collections import Counter, defaultdict
from urllib.parse import urlparse
base, seconds = urlparse(sys.argv[1]), float(sys.argv[2])
calls = [("GET", "/api/products/3", None), ("GET", "/api/limited", None), ("GET", "/api/inventory/sku1", None),
         ("POST", "/api/inventory/sku1/reserve", None), ("POST", "/api/sessions", '{"userId":"ann"}'),
         ("GET", "/api/leaderboards/g/top", None), ("GET", "/actuator/health", None)]
statuses, times = defaultdict(Counter), defaultdict(list)
end = time.monotonic() + seconds
while time.monotonic() < end:
    for method, path, body in calls:
        c = http.client.HTTPConnection(base.hostname, base.port, timeout=90)
        started = time.monotonic()
        c.request(method, path, body=body, headers={"Content-Type": "application/json"} if body else {})
        r = c.getresponse(); r.read(); c.close()
        statuses[method + " " + path][r.status] += 1
        times[method + " " + path].append(time.monotonic() - started)
for key in statuses:
    t = sorted(times[key])
    print("     | %-32s %s  median %.3f s, max %.3f s" % (key, " ".join("%d x%d" % kv for kv in sorted(statuses[key].items())),
          t[len(t) // 2], t[-1]))
EOF
  local openings=$(( $(metric "$id" redis.starter.circuit.openings) - openings_before ))
  local logged=$(( $(count_lines "$id" 'RedisCircuitBreaker .* is unreachable') - lines_before ))
  local cache_warns=$(( $(count_lines "$id" 'Cache read of') - cache_warns_before ))
  local slow_health; slow_health=$(health "$id")
  echo 0 >"$work/latency"
  echo "$id OBSERVED $what :: circuit openings in 30 s: $openings (meter), $logged circuit WARN lines ('is unreachable'), $cache_warns 'Cache read of ... failed' WARN lines" \
    "(before: everything 503, the circuit opened 15 times in 30 s)"
  echo "   health at the end of the 30 s: $slow_health"
  sleep 2
  echo "   health 2 s after the latency went back to 0: $(health "$id")"
  stop_app "$id"
}

section_g() {
  section "g. Redis 500 ms away"
  start_redis slow
  proxy_port=$(free_port)
  python3 "$here/latency_proxy.py" "$proxy_port" "${redis_port[slow]}" "$work/latency" &
  proxy_pid=$!
  sleep 0.5
  echo "   answers per endpoint over 30 s, requests one after another (status x count, time):"
  slow_case g1 "default deadlines (cache 300 ms, rate limit 250 ms, lock/leaderboard/application 500 ms, session 600 ms, probe 500 ms)"
  echo "   the same with the README's advice for a far-away Redis (every deadline, queue and messaging ones included, and the probe at 2 s):"
  slow_case g2 "deadlines raised to 2 s" --redis.starter.cache.timeout=2s --redis.starter.rate-limit.timeout=2s \
    --redis.starter.lock.timeout=2s --redis.starter.session.timeout=2s --redis.starter.leaderboard.timeout=2s \
    --redis.starter.application.timeout=2s --redis.starter.queue.timeout=2s --redis.starter.messaging.timeout=2s \
    --redis.starter.messaging.streams.timeout=2s --redis.starter.resilience.probe-timeout=2s
  kill "$proxy_pid"; wait "$proxy_pid" 2>/dev/null; proxy_pid=""
  stop_redis slow
}

# ---------------------------------------------------------------------------------------------------------------
echo "# Security measurements ($(date -u +%Y-%m-%dT%H:%M:%SZ))"
echo "jar: $jar; $(redis-server --version | cut -d' ' -f1-3); $(java -version 2>&1 | head -1); $(nproc) cores"
for s in $sections; do "section_$s"; done
