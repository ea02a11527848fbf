# shellcheck shell=bash
# Finds Java 21+ for bin/orbit and .ci/run (sourced by both, so the rule lives in one place).
#
#   orbit_use_java   exports JAVA_HOME (for java and ./mvnw) as the first Java 21+ found, in this order:
#                      1. $JAVA_HOME, if its java is 21+
#                      2. the java on PATH, if 21+
#                      3. the newest 21+ under /usr/lib/jvm
#                    else explains on stderr and returns 1.

ORBIT_MIN_JAVA=21

# Prints "<major> <java.home>" for a java executable, or nothing if it does not run.
_orbit_java_version_and_home() {
  "$1" -XshowSettings:properties -version 2>&1 | awk '
    $1 == "java.specification.version" { version = $3 }
    $1 == "java.home" { sub(/^[ \t]*java\.home = /, ""); home = $0 }
    END { if (version != "" && home != "") { sub(/^1\./, "", version); print version, home } }'
}

# Prints "<major> <java.home>" of the Java to use, or explains on stderr and returns 1.
_orbit_find_java() {
  local candidate info major home best="" best_major=0

  for candidate in "${JAVA_HOME:+$JAVA_HOME/bin/java}" "$(command -v java 2>/dev/null || true)"; do
    [[ -n $candidate && -x $candidate ]] || continue
    info=$(_orbit_java_version_and_home "$candidate")
    read -r major home <<<"$info"
    if [[ -n ${major:-} ]] && ((major >= ORBIT_MIN_JAVA)); then
      printf '%s\n' "$info"
      return 0
    fi
  done

  for candidate in /usr/lib/jvm/*/bin/java; do
    [[ -x $candidate ]] || continue
    info=$(_orbit_java_version_and_home "$candidate")
    read -r major home <<<"$info"
    if [[ -n ${major:-} ]] && ((major >= ORBIT_MIN_JAVA && major > best_major)); then
      best=$info
      best_major=$major
    fi
  done
  if [[ -n $best ]]; then
    printf '%s\n' "$best"
    return 0
  fi

  echo "orbit: no Java $ORBIT_MIN_JAVA or newer found (looked at \$JAVA_HOME, java on PATH and /usr/lib/jvm/*);" \
    "install a JDK $ORBIT_MIN_JAVA+ or set JAVA_HOME to one" >&2
  return 1
}

orbit_use_java() {
  local found major
  found=$(_orbit_find_java) || return 1
  major=${found%% *}
  JAVA_HOME=${found#* }
  export JAVA_HOME
  # Maven 3.9's Guice warns about sun.misc.Unsafe on JDK 24+; JDK 23+ can be told to allow it quietly.
  if ((major >= 23)); then
    export MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }--sun-misc-unsafe-memory-access=allow"
  fi
}
