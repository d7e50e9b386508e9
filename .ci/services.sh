#!/usr/bin/env bash
# Start any local backend that is not answering on its loopback port (the same commands the
# machine uses at boot), then wait until each answers. Used by .ci/run; safe to run by hand.
set -u

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start() { # name port command…
  local name=$1 port=$2; shift 2
  if answers "$port"; then return 0; fi
  echo "services: $name is not answering on $port; starting it"
  "$@" >/dev/null 2>&1 || echo "services: starting $name failed"
}

start postgres 5432 bash -c 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start'
start redis 6379 redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
start rabbitmq 5672 rabbitmq-server -detached
start mosquitto 1883 mosquitto -d -c /etc/mosquitto/mosquitto.conf
start nats 4222 start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log
start mariadb 3306 start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd

for entry in postgres:5432 mariadb:3306 redis:6379 rabbitmq:5672 mosquitto:1883 nats:4222; do
  name=${entry%%:*} port=${entry##*:}
  for _ in $(seq 1 60); do answers "$port" && break; sleep 1; done
  answers "$port" && echo "services: $name answers on $port" || echo "services: $name does not answer on $port"
done
