#!/usr/bin/env bash
# Installs the real POP3 servers that tests/servers.rs runs, besides Dovecot.
#
# Debian's POP3 servers conflict with each other and with dovecot-pop3d (each
# provides pop3-server), so they cannot be installed side by side. This
# script therefore only *downloads* the conflicting packages (apt-get
# download) and unpacks them (dpkg-deb -x) into $POPSCOPE_SERVERS_DIR/<name>
# (default /opt/popscope-servers); nothing of theirs runs at install time.
# Their shared libraries come from packages that conflict with nothing and
# are installed normally. It then creates what the maintainer scripts would
# have: system users, the empty chroot of popa3d, courier's authdaemonrc.
# (Cyrus needs no system-wide configuration: the tests write their own.)
#
# It also creates the test account popa3d and Courier authenticate through
# PAM (/etc/shadow): user `popscope-test`, password `popscope-test-pass`, shell
# nologin, home /var/lib/popscope-test with an empty Maildir (Courier) and
# an empty /var/mail/popscope-test (popa3d). The tests use the same constants
# (tests/support/servers/mod.rs).
#
# Run as root on Debian 12; the caller has run `apt-get update`. Idempotent:
# a second run downloads and unpacks nothing that is already in place.
set -euo pipefail

ROOT=${POPSCOPE_SERVERS_DIR:-/opt/popscope-servers}
CACHE=${POPSCOPE_SERVERS_CACHE:-/var/cache/popscope-servers}
TEST_USER=popscope-test
TEST_PASSWORD=popscope-test-pass
TEST_HOME=/var/lib/popscope-test

export DEBIAN_FRONTEND=noninteractive

if [ "$(id -u)" != 0 ]; then
    echo "install-servers.sh: must run as root" >&2
    exit 1
fi

# 1. What the unpacked binaries link against, plus socat (popa3d runs
#    inetd-style behind it). None of these conflicts with dovecot-pop3d.
#    courier-authlib brings libcourierauth, authdaemond and the authpam
#    module, and creates the `courier` user. For Cyrus: its libraries'
#    dependencies, the SASL PLAIN/LOGIN mechanisms, the sasldb auxprop
#    plugin and saslpasswd2 (sasl2-bin; its saslauthd stays disabled).
apt-get install -y -qq --no-install-recommends \
    socat \
    libpam0g \
    courier-authlib libcourier-unicode4 libgdbm6 libidn12 libgnutls30 \
    libical3 libicu72 libjansson4 libkrb5-3 libpcre3 libpq5 libsasl2-2 \
    libsqlite3-0 libssl3 libwrap0 libxapian30 libxml2 libcom-err2 zlib1g \
    libsasl2-modules libsasl2-modules-db sasl2-bin \
    >/dev/null

# 2. Download (cached) and unpack the conflicting packages.
mkdir -p "$CACHE" "$ROOT"
if getent passwd _apt >/dev/null; then
    chown _apt "$CACHE" # apt-get download drops privileges to _apt
fi

# fetch NAME PACKAGE...: unpacks PACKAGEs into $ROOT/NAME, skipping the work
# when the same versions are already there.
fetch() {
    local name=$1
    shift
    local want="" pkg ver deb
    for pkg in "$@"; do
        ver=$(apt-cache policy "$pkg" | awk '/Candidate:/ {print $2}')
        if [ -z "$ver" ] || [ "$ver" = "(none)" ]; then
            echo "install-servers.sh: no installable version of $pkg" >&2
            exit 1
        fi
        want+="$pkg=$ver "
    done
    if [ -f "$ROOT/$name/.popscope-packages" ] &&
        [ "$(cat "$ROOT/$name/.popscope-packages")" = "$want" ]; then
        return
    fi
    rm -rf "$ROOT/$name"
    mkdir -p "$ROOT/$name"
    for pkg in "$@"; do
        ver=$(apt-cache policy "$pkg" | awk '/Candidate:/ {print $2}')
        deb=""
        for f in "$CACHE/${pkg}"_*.deb; do
            if [ -f "$f" ] && [ "$(dpkg-deb -f "$f" Version)" = "$ver" ]; then
                deb=$f
            fi
        done
        if [ -z "$deb" ]; then
            rm -f "$CACHE/${pkg}"_*.deb
            (cd "$CACHE" && apt-get download -qq "$pkg=$ver")
            deb=$(ls "$CACHE/${pkg}"_*.deb)
        fi
        dpkg-deb -x "$deb" "$ROOT/$name"
    done
    printf '%s' "$want" >"$ROOT/$name/.popscope-packages"
}

fetch popa3d popa3d
fetch courier courier-base courier-pop
fetch cyrus cyrus-common cyrus-pop3d

# 3. What the maintainer scripts would have created.

# popa3d: runs as `popa3d`, chrooted into an empty root-owned directory.
getent group popa3d >/dev/null || addgroup --quiet --system popa3d
getent passwd popa3d >/dev/null ||
    adduser --quiet --system --home /var/lib/popa3d --no-create-home \
        --ingroup popa3d popa3d
install -d -o root -g root -m 0755 /var/lib/popa3d

# Courier: authdaemond reads /etc/courier/authdaemonrc (compiled-in path);
# PAM only. The PAM service courier-pop uses is "pop3".
install -d -o root -g root -m 0755 /etc/courier
if [ ! -f /etc/courier/authdaemonrc ]; then
    cat >/etc/courier/authdaemonrc <<'EOF'
# Written by popscope's .ci/install-servers.sh for the Courier interop tests.
authmodulelist="authpam"
daemons=3
authdaemonvar=/run/courier/authdaemon
DEBUG_LOGIN=0
DEFAULTOPTIONS=""
LOGGEROPTS=""
EOF
    chmod 0640 /etc/courier/authdaemonrc
    chgrp courier /etc/courier/authdaemonrc
fi
if [ ! -f /etc/pam.d/pop3 ]; then
    install -m 0644 "$ROOT/courier/etc/pam.d/pop3" /etc/pam.d/pop3
fi

# Cyrus: master drops to `cyrus` (group mail), as cyrus-common's postinst
# creates it; the tests give it a private config dir, spool and sasldb.
getent passwd cyrus >/dev/null ||
    adduser --quiet --system --ingroup mail --home /var/spool/cyrus \
        --no-create-home --shell /bin/sh --gecos "Cyrus Mailsystem User" cyrus

# 4. The test account.
if ! getent passwd "$TEST_USER" >/dev/null; then
    useradd --system --home-dir "$TEST_HOME" --no-create-home \
        --shell /usr/sbin/nologin --gid mail "$TEST_USER"
fi
if [ "$(getent passwd "$TEST_USER" | cut -d: -f6)" != "$TEST_HOME" ]; then
    usermod --home "$TEST_HOME" "$TEST_USER"
fi
echo "$TEST_USER:$TEST_PASSWORD" | chpasswd
install -d -o "$TEST_USER" -g mail -m 0700 "$TEST_HOME"
for d in Maildir Maildir/cur Maildir/new Maildir/tmp; do
    install -d -o "$TEST_USER" -g mail -m 0700 "$TEST_HOME/$d"
done
if [ ! -f "/var/mail/$TEST_USER" ]; then
    install -o "$TEST_USER" -g mail -m 0660 /dev/null "/var/mail/$TEST_USER"
fi

echo "install-servers.sh: popa3d, Courier and Cyrus are in $ROOT"
