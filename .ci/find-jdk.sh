# shellcheck shell=bash
# Finds a JDK 21 or newer for Loom's scripts (./loom, .ci/run): source this file, then call
# `loom_use_jdk <script name> || exit 1`.
#
# The order: $JAVA_HOME if it is a JDK >= 21, else the newest JDK >= 21 under /usr/lib/jvm
# ($LOOM_JDK_SEARCH_DIR overrides that directory), else one line on stderr naming what to install.
# Prints nothing on success, so a launcher's own output stays clean.

LOOM_MIN_JAVA=21

# Prints the feature version (17, 21, 25, ...) of the JDK at $1; prints nothing if $1 is not a JDK.
loom_jdk_version() {
    local home=$1 version=
    if [[ ! -x "$home/bin/java" || ! -x "$home/bin/javac" ]]; then
        return 0
    fi
    if [[ -r "$home/release" ]]; then
        version=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release" || true)
    fi
    if [[ -z "$version" ]]; then
        version=$("$home/bin/java" -version 2>&1 | sed -n '1s/.* version "\([^"]*\)".*/\1/p' || true)
    fi
    version=${version#1.}        # 1.8.0_392 -> 8.0_392
    version=${version%%[!0-9]*}  # 25.0.3 -> 25, 21-ea -> 21
    if [[ -n "$version" ]]; then
        echo "$version"
    fi
}

# Exports JAVA_HOME and PATH for a JDK >= 21; otherwise prints one line naming what to install and
# returns 1. $1 names the calling script in that line.
loom_use_jdk() {
    local who=${1:-loom} search_dir=${LOOM_JDK_SEARCH_DIR:-/usr/lib/jvm}
    local candidate version best='' best_version=0 java_home_note=''

    if [[ -n "${JAVA_HOME:-}" ]]; then
        version=$(loom_jdk_version "$JAVA_HOME")
        if [[ -n "$version" && "$version" -ge $LOOM_MIN_JAVA ]]; then
            best=$JAVA_HOME
        elif [[ -n "$version" ]]; then
            java_home_note="JAVA_HOME=$JAVA_HOME is Java $version; "
        else
            java_home_note="JAVA_HOME=$JAVA_HOME is not a JDK; "
        fi
    fi
    if [[ -z "$best" ]]; then
        for candidate in "$search_dir"/*/; do
            candidate=${candidate%/}
            version=$(loom_jdk_version "$candidate")
            if [[ -n "$version" && "$version" -ge $LOOM_MIN_JAVA && "$version" -gt $best_version ]]; then
                best=$candidate
                best_version=$version
            fi
        done
    fi
    if [[ -z "$best" ]]; then
        echo "$who: no JDK $LOOM_MIN_JAVA+ found (${java_home_note}none under $search_dir): install JDK $LOOM_MIN_JAVA or newer (e.g. Eclipse Temurin 21) and set JAVA_HOME to it" >&2
        return 1
    fi
    export JAVA_HOME=$best
    export PATH="$JAVA_HOME/bin:$PATH"
}
