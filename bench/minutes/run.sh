#!/bin/sh
# The minutes benchmark: installs LibreOffice Writer (no GUI) from Debian's packages when
# `soffice` is missing and the script may (root and apt-get), then runs the benchmark in release
# mode. Without LibreOffice the benchmark prints Rådhus' figures and says it skipped the baseline.
set -u
cd "$(dirname "$0")/../.."
if ! command -v soffice >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "installing libreoffice-writer-nogui from Debian's packages ..."
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libreoffice-writer-nogui >/dev/null \
            || echo "could not install LibreOffice; the baseline will be skipped"
    else
        echo "LibreOffice is not installed and this script cannot install it (needs root and apt-get); the baseline will be skipped"
    fi
fi
exec cargo run --release -p radhus-bench-minutes -- "$@"
