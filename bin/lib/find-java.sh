# shellcheck shell=bash
# Finds a JDK/JRE 21+ for bin/orbit and .ci/run (sourced by both, so the rule lives in one place).
#
#   orbit_find_java_home    prints the home of the first Java 21+ found, in this order:
#                           1. $JAVA_HOME, if its java is 21+
#                           2. the java on PATH, if 21+
#                           3. the newest 21+ under /usr/lib/jvm
#                           else explains on stderr and returns 1.

ORBIT_MIN_JAVA=21

# Prints "<major> <java.home>" for a java executable, or nothing if it does not run.
_orbit_java_version_and_home() {
  "$1" -XshowSettings:properties -version 2>&1 | awk '
    $1 == "java.specification.version" { version = $3 }
    $1 == "java.home" { sub(/^[ \t]*java\.home = /, ""); home = $0 }
    END { if (version != "" && home != "") { sub(/^1\./, "", version); print version, home } }'
}

orbit_find_java_home() {
  local candidate info major home best_major=0 best_home=""

  for candidate in "${JAVA_HOME:+$JAVA_HOME/bin/java}" "$(command -v java 2>/dev/null || true)"; do
    [[ -n $candidate && -x $candidate ]] || continue
    info=$(_orbit_java_version_and_home "$candidate")
    read -r major home <<<"$info"
    if [[ -n ${major:-} ]] && ((major >= ORBIT_MIN_JAVA)); then
      printf '%s\n' "$home"
      return 0
    fi
  done

  for candidate in /usr/lib/jvm/*/bin/java; do
    [[ -x $candidate ]] || continue
    info=$(_orbit_java_version_and_home "$candidate")
    read -r major home <<<"$info"
    if [[ -n ${major:-} ]] && ((major >= ORBIT_MIN_JAVA && major > best_major)); then
      best_major=$major
      best_home=$home
    fi
  done
  if [[ -n $best_home ]]; then
    printf '%s\n' "$best_home"
    return 0
  fi

  echo "orbit: no Java $ORBIT_MIN_JAVA or newer found (looked at \$JAVA_HOME, java on PATH and /usr/lib/jvm/*);" \
    "install a JDK $ORBIT_MIN_JAVA+ and/or set JAVA_HOME to it" >&2
  return 1
}
